namespace OpsAgent.Collector.Detection;

/// <summary>How urgent an anomaly or incident is. Stored as its number: never renumber; higher is worse.</summary>
internal enum AlertSeverity
{
    /// <summary>Worth a look: a moderate departure, or a resource forecast to run out within the horizon.</summary>
    Warning = 1,

    /// <summary>Act now: a score above the immediate threshold, or a resource that runs out within CriticalWithin.</summary>
    Critical = 2,
}
