namespace OpsAgent.Collector.Notifications;

/// <summary>
/// Section <c>Collector:Notifications</c>: webhook receivers and how deliveries are queued and retried. Bound by
/// <see cref="NotificationOptionsBinder"/>, which records problems (unknown keys, bad values) for the validator
/// instead of throwing, so that a bad configuration is reported with every other problem at start-up.
/// </summary>
internal sealed class NotificationOptions
{
    public const string SectionName = "Collector:Notifications";

    /// <summary>Receivers by name.</summary>
    public Dictionary<string, NotificationReceiverOptions> Receivers { get; } = new(StringComparer.Ordinal);

    /// <summary>The collector's URL as people reach it (Alertmanager <c>externalURL</c> and <c>generatorURL</c>); optional.</summary>
    public string ExternalUrl { get; set; } = "";

    /// <summary>Notifications waiting per receiver; when full the oldest is dropped and counted.</summary>
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>Attempts per notification, the first included.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Backoff before the first retry; doubled for each further retry, with jitter.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest backoff between attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest Retry-After honoured; a receiver asking for a longer wait gets the notification dropped (and counted).</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Problems found while binding, reported by <see cref="NotificationOptionsValidator"/>.</summary>
    internal List<string> BindingProblems { get; } = [];
}
