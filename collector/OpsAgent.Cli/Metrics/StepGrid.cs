namespace OpsAgent.Cli.Metrics;

/// <summary>
/// Places a series' points on the grid of steps a query asked for, so that a step with no point shows as a gap.
/// The grid starts at a multiple of the step (the query asks the collector for the same aligned start).
/// </summary>
internal static class StepGrid
{
    /// <summary>About this many sparkline cells when --step is not given: fits a terminal beside the numbers.</summary>
    public const int TargetCells = 60;

    // The automatic step never goes below 10 s, the agent's default collection interval: a finer grid over samples
    // taken every 10 s would be mostly empty cells. An explicit --step can go finer.
    private static readonly TimeSpan[] NiceSteps =
    [
        TimeSpan.FromSeconds(10),
        TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2),
        TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(6),
        TimeSpan.FromHours(12), TimeSpan.FromDays(1), TimeSpan.FromDays(2), TimeSpan.FromDays(7),
    ];

    /// <summary>The smallest round step that covers <paramref name="range"/> in at most <see cref="TargetCells"/> steps.</summary>
    public static TimeSpan AutoStep(TimeSpan range)
    {
        foreach (var step in NiceSteps)
        {
            if (range <= step * TargetCells)
            {
                return step;
            }
        }

        return TimeSpan.FromMilliseconds(Math.Ceiling(range.TotalMilliseconds / TargetCells));
    }

    public static long AlignStart(long startMs, long stepMs) =>
        stepMs <= 0 ? startMs : (long)Math.Floor((double)startMs / stepMs) * stepMs;

    /// <summary>
    /// One cell per step from <paramref name="startMs"/> (aligned) to <paramref name="endMs"/>; NaN where the series
    /// has no point. With <paramref name="stepMs"/> 0 (raw samples) the cells are the values in order.
    /// </summary>
    public static double[] Cells(IReadOnlyList<long> timestamps, IReadOnlyList<double> values, long startMs, long endMs, long stepMs)
    {
        var count = Math.Min(timestamps.Count, values.Count);
        if (stepMs <= 0)
        {
            var raw = new double[count];
            for (var i = 0; i < count; i++)
            {
                raw[i] = values[i];
            }

            return raw;
        }

        var cellCount = (int)Math.Max(1, (endMs - startMs + stepMs - 1) / stepMs);
        var cells = new double[cellCount];
        Array.Fill(cells, double.NaN);
        for (var i = 0; i < count; i++)
        {
            var offset = timestamps[i] - startMs;
            if (offset < 0)
            {
                continue;
            }

            var cell = offset / stepMs;
            if (cell < cellCount)
            {
                cells[cell] = values[i];
            }
        }

        return cells;
    }
}
