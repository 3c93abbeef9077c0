namespace OpsAgent.Collector.Notifications;

/// <summary>Queues a notification for every receiver subscribed to its kind. Never blocks and never throws on a full queue.</summary>
internal interface INotificationPublisher
{
    /// <summary>Returns how many receivers it was queued for (0 when none subscribes to its kind).</summary>
    int Publish(NotificationEvent notification);
}
