namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>What became of one step of a run.</summary>
internal enum StepOutcome
{
    /// <summary>The command succeeded and the signal recovered within the verify window.</summary>
    Fixed = 1,

    /// <summary>The command succeeded but the signal did not recover within the verify window.</summary>
    NotFixed = 2,

    /// <summary>The agent ran the command and it failed.</summary>
    Failed = 3,

    /// <summary>The agent refused the command (policy, signature, expiry, replay, wrong target).</summary>
    Rejected = 4,

    /// <summary>The agent stopped the command at its timeout.</summary>
    TimedOut = 5,

    /// <summary>No result arrived in time (agent offline until the command expired, or the collector restarted).</summary>
    NoResult = 6,

    /// <summary>The step's parameters could not be filled from the trigger; nothing was sent.</summary>
    InvalidParameters = 7,

    /// <summary>An operator denied the command.</summary>
    Denied = 8,

    /// <summary>Nobody approved the command within the approval timeout.</summary>
    ApprovalExpired = 9,

    /// <summary>A diagnostics step finished (it gathers information and does not count as a fix).</summary>
    Informational = 10,

    /// <summary>A dry-run command came back; the agent reported what it would have done.</summary>
    DryRun = 11,

    /// <summary>The run stopped before this step finished (playbook disabled, signal recovered while waiting for approval).</summary>
    Cancelled = 12,
}
