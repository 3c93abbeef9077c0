namespace OpsAgent.Cli.Bench;

/// <summary>Percentiles of a set of measurements (nearest rank).</summary>
internal static class Percentiles
{
    /// <summary>The value at <paramref name="percentile"/> (0 to 100) of <paramref name="sorted"/>, or 0 when empty.</summary>
    public static double Of(IReadOnlyList<double> sorted, double percentile)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        int rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
