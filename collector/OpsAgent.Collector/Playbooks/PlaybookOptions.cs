namespace OpsAgent.Collector.Playbooks;

/// <summary>
/// Section <c>Collector:Playbooks</c>. The playbooks themselves are YAML files in <see cref="Directory"/>; these
/// settings are about how the collector runs them.
/// </summary>
internal sealed class PlaybookOptions
{
    public const string SectionName = "Collector:Playbooks";

    /// <summary>Directory of *.yaml / *.yml playbooks. Default: <c>DATA_DIR/playbooks</c> (writable, so the Admin API can manage it).</summary>
    public string Directory { get; set; } = "";

    /// <summary>How often the directory is re-read to pick up edited, added and removed files.</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a command may wait for its agent to connect before it expires (<c>Command.expires_unix_ms</c>).</summary>
    public TimeSpan CommandExpiry { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Extra time after expiry plus the step's timeout before a missing result counts as "no result".</summary>
    public TimeSpan ResultGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long ended runs are kept (history, one run per incident, hourly budget).</summary>
    public TimeSpan RunRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often deadlines (approval, result, verification) are checked.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Events waiting for the engine; producers wait when it is full (results and approvals are never dropped).</summary>
    public int QueueCapacity { get; set; } = 1024;
}
