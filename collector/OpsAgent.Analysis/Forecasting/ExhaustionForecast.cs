namespace OpsAgent.Analysis.Forecasting;

/// <summary>
/// Where a resource that runs out (disk space, inodes, memory) is heading, as of the last sample.
/// </summary>
/// <param name="Level">The trend's estimate of usage now (same unit as the samples).</param>
/// <param name="RatePerHour">The trend's growth per hour (negative when usage falls).</param>
/// <param name="TimeToExhaustion">Estimated time until usage reaches capacity; null when the trend does not rise.</param>
/// <param name="EarliestExhaustion">Lower end of the ~95% interval for the time to exhaustion; null when the trend does not rise.</param>
/// <param name="LatestExhaustion">Upper end of that interval; null when it is unbounded (the trend might be flat).</param>
/// <param name="Confidence">How sure the forecaster is that usage is rising at all, in [0, 1].</param>
/// <param name="Warning">True while an early warning should be up (the resource is likely to run out within the horizon).</param>
public sealed record ExhaustionForecast(
    double Level,
    double RatePerHour,
    TimeSpan? TimeToExhaustion,
    TimeSpan? EarliestExhaustion,
    TimeSpan? LatestExhaustion,
    double Confidence,
    bool Warning);
