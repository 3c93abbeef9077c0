namespace OpsAgent.Collector.Detection;

/// <summary>What an anomaly says about its series. Stored as its number: never renumber.</summary>
internal enum AnomalyKind
{
    /// <summary>The series does not behave as it usually does (a spike, a level shift, a frozen value...).</summary>
    Metric = 1,

    /// <summary>An early warning: the resource the series measures is forecast to run out.</summary>
    Exhaustion = 2,
}
