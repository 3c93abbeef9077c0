namespace OpsAgent.Cli.Metrics;

/// <summary>Last, min, max and mean of a row's finite values; all NaN when it has none.</summary>
internal readonly record struct SeriesStats(double Last, double Min, double Max, double Avg, int Count)
{
    public static SeriesStats From(IReadOnlyList<double> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0, last = double.NaN;
        var count = 0;
        foreach (var value in values)
        {
            if (!double.IsFinite(value))
            {
                continue;
            }

            min = Math.Min(min, value);
            max = Math.Max(max, value);
            sum += value;
            last = value;
            count++;
        }

        return count == 0
            ? new SeriesStats(double.NaN, double.NaN, double.NaN, double.NaN, 0)
            : new SeriesStats(last, min, max, sum / count, count);
    }
}
