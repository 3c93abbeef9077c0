namespace OpsAgent.Collector.Detection;

/// <summary>What detection does with one series (decided once per series by <see cref="SeriesClassifier"/>).</summary>
[Flags]
internal enum SeriesTreatment
{
    /// <summary>Not watched.</summary>
    None = 0,

    /// <summary>The default detector scores every sample.</summary>
    Detect = 1,

    /// <summary>The series is a cumulative counter: the detector scores its per-second rate, not the raw value.</summary>
    Rate = 2,

    /// <summary>The series is a utilization of a resource that runs out: an exhaustion forecaster watches it too.</summary>
    Forecast = 4,
}
