namespace OpsAgent.Agent.Actions.Signals;

/// <summary>What happened when the agent tried to signal one process.</summary>
internal enum SignalDelivery
{
    Sent,

    /// <summary>The process exited before the signal could be sent.</summary>
    Gone,

    /// <summary>The pid now belongs to a process with another name (the target exited and the pid was reused): not signalled.</summary>
    Replaced,

    Failed,
}
