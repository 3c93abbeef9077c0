namespace OpsAgent.Cli.Metrics;

/// <summary>What the table shows per series, over the finite values of the answer; null when there are none.</summary>
internal sealed record SeriesSummaryJson(double? Last, double? Min, double? Max, double? Avg, int Count)
{
    public static SeriesSummaryJson From(SeriesStats stats) => new(
        Finite(stats.Last), Finite(stats.Min), Finite(stats.Max), Finite(stats.Avg), stats.Count);

    public static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
