namespace OpsAgent.Collector.Commands;

/// <summary>Where a command is. Stored as its number: never renumber. <see cref="CommandStates"/> has the names.</summary>
internal enum CommandState
{
    /// <summary>A playbook's command waits for an operator: <c>opsctl commands approve ID</c>. Not signed yet.</summary>
    AwaitingApproval = 1,

    /// <summary>Signed and waiting for its agent's stream (the agent is offline, or the command was just made).</summary>
    Queued = 2,

    /// <summary>Written to the agent's stream; no result yet. Sent again, byte for byte, when the agent reconnects.</summary>
    Sent = 3,

    /// <summary>The agent ran it and it succeeded (or, for a dry run, it would).</summary>
    Succeeded = 4,

    /// <summary>The agent ran it and it failed.</summary>
    Failed = 5,

    /// <summary>The agent refused it: signature, expiry, replay, wrong target, or its local policy.</summary>
    Rejected = 6,

    /// <summary>The agent stopped it at its timeout.</summary>
    TimedOut = 7,

    /// <summary>Its expiry passed before the agent got it, or no result came in time, or nobody approved it in time.</summary>
    Expired = 8,

    /// <summary>An operator denied it; it was never sent.</summary>
    Denied = 9,

    /// <summary>Withdrawn before it was sent: the signal recovered, or its playbook was disabled or removed.</summary>
    Cancelled = 10,
}
