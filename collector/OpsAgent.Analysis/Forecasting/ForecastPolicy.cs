namespace OpsAgent.Analysis.Forecasting;

/// <summary>When the exhaustion forecaster raises and drops an early warning, and how much history it trusts.</summary>
/// <param name="Horizon">Warn when the resource is expected to run out within this time.</param>
/// <param name="MinConfidence">...and the forecaster is at least this sure that usage is rising.</param>
/// <param name="MinHistory">...and the current trend has been observed for at least this long.</param>
/// <param name="TrendHalfLife">Age at which a sample counts half as much in the trend: longer is steadier, shorter adapts faster.</param>
/// <param name="ClearFactor">An active warning drops only when the estimate exceeds the horizon times this (hysteresis).</param>
public sealed record ForecastPolicy(
    TimeSpan Horizon,
    double MinConfidence,
    TimeSpan MinHistory,
    TimeSpan TrendHalfLife,
    double ClearFactor)
{
    /// <summary>Warn a day ahead at 95% confidence, after 30 minutes of a trend averaged with a 3-hour half-life.</summary>
    public static ForecastPolicy Default { get; } = new(
        Horizon: TimeSpan.FromHours(24),
        MinConfidence: 0.95,
        MinHistory: TimeSpan.FromMinutes(30),
        TrendHalfLife: TimeSpan.FromHours(3),
        ClearFactor: 1.5);

    /// <summary>Every problem with the policy, each naming the value and the fix; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Horizon <= TimeSpan.Zero)
        {
            errors.Add($"Horizon is {Horizon}; it must be positive.");
        }

        if (!(MinConfidence > 0 && MinConfidence < 1))
        {
            errors.Add($"MinConfidence is {MinConfidence}; it must be in (0, 1).");
        }

        if (MinHistory < TimeSpan.Zero || TrendHalfLife <= TimeSpan.Zero)
        {
            errors.Add("MinHistory must not be negative and TrendHalfLife must be positive.");
        }

        if (!(ClearFactor >= 1))
        {
            errors.Add($"ClearFactor is {ClearFactor}; it must be at least 1.");
        }

        return errors;
    }
}
