namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>Where a run is. Every state but <see cref="Ended"/> has a deadline, so no run can wait forever.</summary>
internal enum RunState
{
    /// <summary>The current step's command waits for an operator (deadline: the playbook's approval_timeout).</summary>
    AwaitingApproval = 1,

    /// <summary>The current step's command was handed to the dispatcher; waiting for the agent's result (deadline: expiry + timeout + grace).</summary>
    AwaitingResult = 2,

    /// <summary>The command succeeded; waiting for the triggering signal to recover (deadline: verify.window).</summary>
    Verifying = 3,

    /// <summary>Finished; see <see cref="RunOutcome"/>.</summary>
    Ended = 4,
}
