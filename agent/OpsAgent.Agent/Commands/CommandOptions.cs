using OpsAgent.Agent.Actions.Policy;

namespace OpsAgent.Agent.Commands;

/// <summary>
/// How the agent receives and runs commands: section <c>Agent:Commands</c> of agent.json. What it may do is not here
/// but in the local policy file (<see cref="PolicyFile"/>), which the collector cannot change.
/// </summary>
internal sealed class CommandOptions
{
    public const string SectionName = "Agent:Commands";

    /// <summary>The local policy file; a missing file means no actions are allowed.</summary>
    public string PolicyFile { get; set; } = PolicyPaths.DefaultPolicyFile;

    /// <summary>
    /// How far the collector's clock may be from this agent's: a command is accepted up to this long after its expiry
    /// and rejected when it was issued more than this far in the future.
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Commands that expire further ahead than this are rejected, so that the record of seen nonces and command ids,
    /// kept until each command expires, stays bounded.
    /// </summary>
    public TimeSpan MaxCommandLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Verified commands waiting to run; when full, a new command is rejected with "queue full".</summary>
    public int QueueCapacity { get; set; } = 16;

    /// <summary>Unexpired commands remembered (for replay protection and idempotency); when full, new commands are rejected.</summary>
    public int MaxRememberedCommands { get; set; } = 1000;

    /// <summary>The systemctl program; empty: /usr/bin/systemctl, or /bin/systemctl where /usr is not merged.</summary>
    public string? SystemctlPath { get; set; }
}
