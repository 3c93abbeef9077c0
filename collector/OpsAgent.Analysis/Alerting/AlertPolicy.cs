namespace OpsAgent.Analysis.Alerting;

/// <summary>
/// When a series' anomaly scores become an anomaly and when that anomaly ends. Scores of the default detector are
/// bursty (a novelty is reported once and then masked), so "stays high" is judged on scores held for
/// <see cref="Hold"/>: the series is pending while high scores keep coming at most <see cref="Hold"/> apart, and it is
/// raised once that has lasted <see cref="MinDuration"/> (or at once for a score at or above <see cref="ImmediateThreshold"/>).
/// </summary>
/// <param name="RaiseThreshold">A score at or above this is evidence of an anomaly.</param>
/// <param name="ClearThreshold">Below this (lower than <paramref name="RaiseThreshold"/>: hysteresis) a score counts as normal.</param>
/// <param name="MinDuration">How long the evidence must last before an anomaly is raised.</param>
/// <param name="Hold">How long one high score keeps counting as evidence.</param>
/// <param name="ClearAfter">How long scores must stay below <paramref name="ClearThreshold"/> before the anomaly clears.</param>
/// <param name="ImmediateThreshold">A score this high raises at once, whatever <paramref name="MinDuration"/> says.</param>
public sealed record AlertPolicy(
    double RaiseThreshold,
    double ClearThreshold,
    TimeSpan MinDuration,
    TimeSpan Hold,
    TimeSpan ClearAfter,
    double ImmediateThreshold)
{
    /// <summary>A policy suited to the default detector's scores.</summary>
    public static AlertPolicy Default { get; } = new(
        RaiseThreshold: 0.5,
        ClearThreshold: 0.2,
        MinDuration: TimeSpan.FromMinutes(2),
        Hold: TimeSpan.FromMinutes(10),
        ClearAfter: TimeSpan.FromMinutes(15),
        ImmediateThreshold: 0.9);

    /// <summary>Every problem with the policy, each naming the value and the fix; empty when the policy is valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(RaiseThreshold > 0 && RaiseThreshold <= 1))
        {
            errors.Add($"RaiseThreshold is {RaiseThreshold}; it must be in (0, 1].");
        }

        if (!(ClearThreshold >= 0 && ClearThreshold <= RaiseThreshold))
        {
            errors.Add($"ClearThreshold is {ClearThreshold}; it must be in [0, RaiseThreshold] so that an anomaly can clear.");
        }

        if (!(ImmediateThreshold >= RaiseThreshold))
        {
            errors.Add($"ImmediateThreshold is {ImmediateThreshold}; it must be at least RaiseThreshold ({RaiseThreshold}).");
        }

        if (MinDuration < TimeSpan.Zero || Hold <= TimeSpan.Zero || ClearAfter < TimeSpan.Zero)
        {
            errors.Add("MinDuration and ClearAfter must not be negative and Hold must be positive.");
        }

        return errors;
    }
}
