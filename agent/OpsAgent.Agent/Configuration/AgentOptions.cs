using OpsAgent.Agent.Outbox;

namespace OpsAgent.Agent.Configuration;

/// <summary>
/// The agent's settings: section <c>Agent</c> of /etc/opsagent/agent.json (Windows: %ProgramData%\OpsAgent\agent.json),
/// environment variables (<c>OPSAGENT_Agent__CollectorUrl</c>) and the command line (<c>--Agent:CollectorUrl=...</c>).
/// </summary>
internal sealed class AgentOptions
{
    public const string SectionName = "Agent";

    /// <summary>The collector's agent gateway, e.g. <c>https://collector.example.com:7400</c>. Required.</summary>
    public string? CollectorUrl { get; set; }

    /// <summary>A fixed agent id; when empty the agent generates one once and keeps it in <see cref="StateDirectory"/>.</summary>
    public string? AgentId { get; set; }

    /// <summary>The host name reported to the collector; defaults to the machine's name.</summary>
    public string? Hostname { get; set; }

    /// <summary>Where the agent keeps its identity, sequence numbers and outbox.</summary>
    public string StateDirectory { get; set; } = AgentPaths.DefaultStateDirectory;

    /// <summary>Static labels attached to everything this agent sends (env, role, region, ...).</summary>
    public Dictionary<string, string> Labels { get; set; } = [];

    public MetricsOptions Metrics { get; set; } = new();

    public UplinkOptions Uplink { get; set; } = new();

    public OutboxOptions Outbox { get; set; } = new();
}

internal sealed class MetricsOptions
{
    /// <summary>Seconds between two collections of host metrics (1 to 3600).</summary>
    public int IntervalSeconds { get; set; } = 10;
}

internal sealed class UplinkOptions
{
    /// <summary>First reconnect delay after a failure; doubles per failure up to <see cref="ReconnectMaxDelay"/>, with jitter.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for the collector's Welcome after Hello before giving up on a connection.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Heartbeat period while the stream is otherwise idle.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Batches sent but not yet acknowledged; beyond this the agent waits for acks (flow control).</summary>
    public int MaxInFlightBatches { get; set; } = 32;
}
