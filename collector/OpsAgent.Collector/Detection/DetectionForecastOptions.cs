using OpsAgent.Analysis.Forecasting;

namespace OpsAgent.Collector.Detection;

/// <summary>
/// When a resource that runs out gets an early warning (<c>Collector:Detection:Forecast</c>). Defaults are
/// <see cref="ForecastPolicy.Default"/>: warn a day ahead at 95 % confidence after 30 minutes of a trend.
/// </summary>
public sealed class DetectionForecastOptions
{
    /// <summary>Whether filesystem, inode and memory utilization series are forecast at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Warn when the resource is expected to run out within this time.</summary>
    public TimeSpan Horizon { get; set; } = ForecastPolicy.Default.Horizon;

    /// <summary>...and the forecaster is at least this sure (0–1) that usage is rising.</summary>
    public double MinConfidence { get; set; } = ForecastPolicy.Default.MinConfidence;

    /// <summary>...and the current trend has been watched at least this long.</summary>
    public TimeSpan MinHistory { get; set; } = ForecastPolicy.Default.MinHistory;

    /// <summary>Age at which a sample counts half as much in the trend.</summary>
    public TimeSpan TrendHalfLife { get; set; } = ForecastPolicy.Default.TrendHalfLife;

    /// <summary>A warning drops only when the estimate exceeds the horizon times this (hysteresis).</summary>
    public double ClearFactor { get; set; } = ForecastPolicy.Default.ClearFactor;

    /// <summary>A warning whose estimated time left is at most this is critical rather than a warning.</summary>
    public TimeSpan CriticalWithin { get; set; } = TimeSpan.FromHours(4);

    /// <summary>The policy the analysis library applies.</summary>
    internal ForecastPolicy ToPolicy() => new(Horizon, MinConfidence, MinHistory, TrendHalfLife, ClearFactor);
}
