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

    public EnrollmentOptions Enrollment { get; set; } = new();
}

/// <summary>
/// How an agent that is not enrolled yet becomes one (section <c>Agent:Enrollment</c>): a single-use token from
/// <c>opsctl tokens create</c>, given directly, through the environment (<c>OPSAGENT_Agent__Enrollment__Token</c>) or
/// in a file. Once enrolled (STATE/identity/agent.pem exists and is valid) the token is not used again and may be removed.
/// </summary>
internal sealed class EnrollmentOptions
{
    /// <summary>The token as printed by <c>opsctl tokens create</c>: oe_&lt;id&gt;_&lt;secret&gt;_&lt;CA pin&gt;.</summary>
    public string? Token { get; set; }

    /// <summary>A file holding the token (mode 0600, e.g. written by a provisioning tool); used when <see cref="Token"/> is empty.</summary>
    public string? TokenFile { get; set; }
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
