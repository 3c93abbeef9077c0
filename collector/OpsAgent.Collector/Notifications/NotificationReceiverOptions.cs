namespace OpsAgent.Collector.Notifications;

/// <summary>One webhook receiver: <c>Collector:Notifications:Receivers:NAME</c>.</summary>
internal sealed class NotificationReceiverOptions
{
    /// <summary>The receiver's name (the configuration key); used in logs and the <c>receiver</c> label on /metrics.</summary>
    public string Name { get; set; } = "";

    /// <summary>Absolute http:// or https:// URL the JSON is POSTed to.</summary>
    public string Url { get; set; } = "";

    public NotificationFormat Format { get; set; } = NotificationFormat.Alertmanager;

    /// <summary>Kinds to send; empty means all.</summary>
    public List<NotificationEventKind> Events { get; set; } = [];

    /// <summary>How long one attempt may take (connect, send, response).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra request headers (Authorization, an API key); never logged.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Wants(NotificationEventKind kind) => Events.Count == 0 || Events.Contains(kind);
}
