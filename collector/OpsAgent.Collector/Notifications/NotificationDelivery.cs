namespace OpsAgent.Collector.Notifications;

/// <summary>One notification rendered for one receiver, waiting in that receiver's queue.</summary>
internal sealed record NotificationDelivery(NotificationEventKind Kind, string IncidentId, byte[] Body);
