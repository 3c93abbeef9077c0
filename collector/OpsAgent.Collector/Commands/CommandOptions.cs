namespace OpsAgent.Collector.Commands;

/// <summary>
/// Section <c>Collector:Commands</c>: how the collector delivers commands to agents and keeps their records. Playbook
/// commands take their expiry from <c>Collector:Playbooks:CommandExpiry</c>; ad-hoc ones (<c>opsctl exec</c>) from
/// <see cref="ExecExpiry"/>.
/// </summary>
internal sealed class CommandOptions
{
    public const string SectionName = "Collector:Commands";

    /// <summary>How long an ad-hoc command waits for an offline agent before it expires.</summary>
    public TimeSpan ExecExpiry { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A sent command with no result by its expiry plus its timeout plus this is marked expired ("no result").</summary>
    public TimeSpan ResultGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Output kept per result; the rest is cut and flagged (the agent's own policy usually cuts it earlier).</summary>
    public int MaxOutputBytes { get; set; } = 1024 * 1024;

    /// <summary>Unfinished commands per agent; an ad-hoc command beyond it is refused (RESOURCE_EXHAUSTED).</summary>
    public int MaxOpenPerAgent { get; set; } = 100;

    /// <summary>How often expiries are checked and commands that could not be written are tried again.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long finished commands are kept.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);
}
