namespace OpsAgent.Analysis.Evaluation;

/// <summary>
/// A NAB cost profile: what a caught window earns, what a missed window costs and what a false detection costs.
/// </summary>
/// <param name="Name">The profile's NAB name, as printed in results.</param>
/// <param name="TruePositiveWeight">A_tp: earned by a window caught at its first row.</param>
/// <param name="FalseNegativeWeight">A_fn: lost by a window with no detection.</param>
/// <param name="FalsePositiveWeight">A_fp: lost by a detection far from any window.</param>
public sealed record NabProfile(string Name, double TruePositiveWeight, double FalseNegativeWeight, double FalsePositiveWeight)
{
    /// <summary>NAB's standard profile (1, 1, 0.11).</summary>
    public static NabProfile Standard { get; } = new("standard", 1.0, 1.0, 0.11);

    /// <summary>NAB's profile that punishes false positives twice as hard (1, 1, 0.22).</summary>
    public static NabProfile RewardLowFalsePositiveRate { get; } = new("reward_low_FP_rate", 1.0, 1.0, 0.22);

    /// <summary>NAB's profile that punishes missed windows twice as hard (1, 2, 0.11).</summary>
    public static NabProfile RewardLowFalseNegativeRate { get; } = new("reward_low_FN_rate", 1.0, 2.0, 0.11);

    /// <summary>The three profiles in NAB's order.</summary>
    public static IReadOnlyList<NabProfile> All { get; } = [Standard, RewardLowFalsePositiveRate, RewardLowFalseNegativeRate];
}
