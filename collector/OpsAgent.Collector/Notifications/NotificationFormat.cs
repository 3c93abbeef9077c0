namespace OpsAgent.Collector.Notifications;

/// <summary>The JSON a receiver gets.</summary>
internal enum NotificationFormat
{
    /// <summary>Alertmanager's webhook payload (version 4): works with anything that accepts Alertmanager webhooks.</summary>
    Alertmanager,

    /// <summary>A Slack incoming-webhook message (<c>text</c> and <c>blocks</c>); also accepted by Mattermost and Rocket.Chat.</summary>
    Slack,
}
