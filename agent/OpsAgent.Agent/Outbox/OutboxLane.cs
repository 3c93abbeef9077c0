namespace OpsAgent.Agent.Outbox;

/// <summary>
/// Delivery priority of a batch. Lower values are sent first and dropped last when the outbox is full:
/// a command result or alert matters more than a metric sample, and a metric sample more than a log line.
/// </summary>
internal enum OutboxLane
{
    Control = 0,
    Inference = 1,
    Metrics = 2,
    Logs = 3,
}
