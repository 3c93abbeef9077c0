using OpsAgent.Analysis.Alerting;
using OpsAgent.Analysis.Forecasting;

namespace OpsAgent.Collector.Detection;

/// <summary>What every <see cref="SeriesDetector"/> applies, built once from <see cref="DetectionOptions"/>.</summary>
internal sealed record DetectionSettings(
    AlertPolicy Alert,
    ForecastPolicy Forecast,
    long SettleAfterMs,
    long CriticalWithinMs,
    long LearningSamples)
{
    /// <summary>
    /// An open anomaly tells the tracker how it is doing at most this often (sample time), which keeps its stored
    /// stretch and forecast current and tells the tracker that its series is still reporting.
    /// </summary>
    public const long UpdateIntervalMs = 60_000;

    /// <summary>
    /// How far outside the usual band (in widths of the band) the level may be and still count as recovered: the band
    /// is of block medians, and a recovered series' short-term median wanders a little beyond it.
    /// </summary>
    public const double RecoveryMargin = 0.25;

    public static DetectionSettings From(DetectionOptions options) => new(
        options.Alert.ToPolicy(),
        options.Forecast.ToPolicy(),
        (long)options.SettleAfter.TotalMilliseconds,
        (long)options.Forecast.CriticalWithin.TotalMilliseconds,
        options.LearningSamples);
}
