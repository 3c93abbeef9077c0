using OpsAgent.Cli.Output;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Anomalies;

/// <summary>An exhaustion forecast in JSON: durations in seconds; latest is null when the interval is unbounded.</summary>
internal sealed record ForecastJson(
    double Level,
    double RatePerHour,
    double TimeToExhaustionSeconds,
    double EarliestSeconds,
    double? LatestSeconds,
    double Confidence,
    string? AsOf)
{
    public static ForecastJson? From(ExhaustionForecast? forecast) => forecast is null
        ? null
        : new ForecastJson(
            forecast.Level,
            forecast.RatePerHour,
            forecast.TimeToExhaustionMs / 1000.0,
            forecast.EarliestMs / 1000.0,
            forecast.LatestMs < 0 ? null : forecast.LatestMs / 1000.0,
            forecast.Confidence,
            TimeFormatter.ToRfc3339(forecast.AsOfUnixMs));
}
