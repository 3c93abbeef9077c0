using OpsAgent.Cli.Output;
using OpsAgent.Protocol;
using Spectre.Console;

namespace OpsAgent.Cli.Metrics;

/// <summary>Tables of series and query answers for people.</summary>
internal static class MetricsView
{
    /// <summary>
    /// Sparklines wider than this are narrowed (neighbouring steps averaged) to keep rows on one line. Two more than
    /// the automatic step aims at: aligning the start to the step can add a partial step at each end.
    /// </summary>
    public const int MaxSparklineWidth = StepGrid.TargetCells + 2;

    /// <summary>The series' labels without host and agent_id, which have their own column.</summary>
    public static string DisplayLabels(SeriesInfo series) =>
        LabelFormatter.Format(
            series.Labels.Select(l => KeyValuePair.Create(l.Key, l.Value)),
            SeriesSelectorOptions.HostKey, SeriesSelectorOptions.AgentIdKey);

    /// <summary>
    /// One row per series, sorted; the metric name is written on the first row of its group only, so that the
    /// names stand out as headings of the series below them.
    /// </summary>
    public static Table SeriesList(IReadOnlyList<SeriesInfo> sortedSeries, DateTimeOffset now)
    {
        var table = CommandOutput.CreateTable("Name", "Host", "Labels", "Kind", "Unit", "Last sample");
        string? previousName = null;
        foreach (var series in sortedSeries)
        {
            var name = series.Name == previousName ? string.Empty : series.Name;
            previousName = series.Name;
            CommandOutput.AddRow(
                table,
                name,
                Or(series.Hostname),
                DisplayLabels(series),
                MetricNames.Kind(series.Kind),
                Or(series.Unit),
                TimeFormatter.Ago(series.LastSampleUnixMs, now));
        }

        return table;
    }

    public static Table Query(IEnumerable<QueryRow> rows)
    {
        var table = CommandOutput.CreateTable("Host", "Labels", "Last", "Min", "Max", "Avg", "Trend");
        foreach (var row in rows)
        {
            var unit = row.Series.Unit;
            CommandOutput.AddRow(
                table,
                Or(row.Series.Hostname),
                DisplayLabels(row.Series),
                ValueFormatter.Format(row.Stats.Last, unit),
                ValueFormatter.Format(row.Stats.Min, unit),
                ValueFormatter.Format(row.Stats.Max, unit),
                ValueFormatter.Format(row.Stats.Avg, unit),
                Trend(row));
        }

        return table;
    }

    /// <summary>The sparkline, and under it a ^ beneath every anomalous step when the series has any.</summary>
    private static string Trend(QueryRow row)
    {
        string sparkline = Sparkline.Render(Sparkline.Fit(row.Cells, MaxSparklineWidth));
        if (row.Anomalous is not { } flags || !flags.Contains(true))
        {
            return sparkline;
        }

        return sparkline + "\n" + new string([.. Sparkline.FitFlags(flags, MaxSparklineWidth).Select(f => f ? '^' : ' ')]).TrimEnd();
    }

    private static string Or(string value) => string.IsNullOrEmpty(value) ? "-" : value;
}
