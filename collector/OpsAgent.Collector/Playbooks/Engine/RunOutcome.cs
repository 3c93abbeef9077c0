namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>How a run ended.</summary>
internal enum RunOutcome
{
    /// <summary>A step's command succeeded and the signal recovered within the verify window: the playbook fixed it.</summary>
    Resolved = 1,

    /// <summary>Every step was tried (or approval ran out) and the signal did not recover: people must look.</summary>
    Escalated = 2,

    /// <summary>The signal recovered before any step could take effect (while waiting for approval, or after a failed step).</summary>
    Recovered = 3,

    /// <summary>An operator denied a command; the run stopped there.</summary>
    Denied = 4,

    /// <summary>A dry run went through every step; nothing was changed.</summary>
    DryRunCompleted = 5,

    /// <summary>The playbook was disabled or removed, or the run could not be resumed after a restart.</summary>
    Cancelled = 6,
}
