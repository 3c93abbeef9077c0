namespace OpsAgent.Agent.Outbox;

/// <summary>Where the outbox keeps unacknowledged batches (<c>Agent:Outbox:Storage</c>).</summary>
internal enum OutboxStorage
{
    /// <summary>Segment files in the state directory: survives agent restarts, crashes and (per fsync policy) power loss.</summary>
    Disk,

    /// <summary>Memory only, for hosts without a writable disk: everything unacknowledged is lost when the agent stops.</summary>
    Memory,
}
