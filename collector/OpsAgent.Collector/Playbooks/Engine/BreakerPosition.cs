namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>The classic circuit breaker positions.</summary>
internal enum BreakerPosition
{
    /// <summary>Runs start normally; failed runs are counted.</summary>
    Closed = 0,

    /// <summary>Runs are refused until the open period has passed.</summary>
    Open = 1,

    /// <summary>The open period passed: one trial run may start; its outcome closes or reopens the breaker.</summary>
    HalfOpen = 2,
}
