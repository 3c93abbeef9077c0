namespace OpsAgent.Collector.Detection;

/// <summary>An exhaustion forecast as an anomaly carries it: where usage is heading and when it runs out.</summary>
/// <param name="Level">Usage now according to the trend (a fraction of capacity for utilization series).</param>
/// <param name="RatePerHour">Growth of usage per hour.</param>
/// <param name="TimeToExhaustionMs">Estimated time left, in ms from <paramref name="AsOfUnixMs"/>.</param>
/// <param name="EarliestMs">Lower end of the ~95 % interval of the time left.</param>
/// <param name="LatestMs">Upper end of that interval; -1 when unbounded (the trend might be flat).</param>
/// <param name="Confidence">How sure the forecaster is that usage rises (0–1).</param>
/// <param name="AsOfUnixMs">The sample time the forecast was made at.</param>
internal sealed record ForecastSnapshot(
    double Level,
    double RatePerHour,
    long TimeToExhaustionMs,
    long EarliestMs,
    long LatestMs,
    double Confidence,
    long AsOfUnixMs);
