using System.CommandLine;
using OpsAgent.Cli.Anomalies;
using OpsAgent.Cli.Invocation;
using OpsAgent.Cli.Output;
using OpsAgent.Cli.Parsing;
using OpsAgent.Protocol;
// OpsAgent.Protocol has a Command message (commands sent to agents); here Command is a CLI command.
using Command = System.CommandLine.Command;

namespace OpsAgent.Cli.Metrics;

/// <summary>
/// `opsctl metrics query NAME [--host H] [--label k=v ...] [--since 15m] [--until TIME] [--step 1m] [--agg avg]`:
/// one row per series with last, min, max, mean and a sparkline.
/// </summary>
internal static class MetricsQueryCommand
{
    public static readonly TimeSpan DefaultSince = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The most steps one query may ask for (the limit Prometheus uses too): beyond it the answer would not fit
    /// a screen or a sensible message, and a typo such as --step 1ms over 7d would ask for millions.
    /// </summary>
    public const long MaxSteps = 11_000;

    public static Command Create(CliHost host)
    {
        var name = new Argument<string>("name") { Description = "The metric name, e.g. system.cpu.utilization", HelpName = "NAME" };
        var selector = new SeriesSelectorOptions();
        var since = CliOptionFactory.Time("--since", $"Start: a duration ago or an RFC 3339 time (default {DurationParser.Format(DefaultSince)})");
        var until = CliOptionFactory.Time("--until", "End: a duration ago or an RFC 3339 time (default now)");
        var step = new Option<TimeSpan?>("--step")
        {
            Description = $"Width of one step, e.g. 1m, or 'raw' for the samples as stored (default: about {StepGrid.TargetCells} steps)",
            HelpName = "DURATION",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
                if (text is "raw" or "0")
                {
                    return TimeSpan.Zero;
                }

                if (DurationParser.TryParse("--step", text, out var parsed, out var error) && parsed >= TimeSpan.FromMilliseconds(1))
                {
                    return parsed;
                }

                result.AddError(error ?? $"--step '{text}' must be at least 1ms, or 'raw'.");
                return null;
            },
        };
        var aggregation = new Option<string>("--agg")
        {
            Description = "How the samples of a series are combined within each step",
            DefaultValueFactory = _ => "avg",
        };
        aggregation.AcceptOnlyFromAmong([.. MetricNames.Aggregations.Keys]);

        var command = new Command("query", "Query one metric: a row per series with last, min, max, mean and a sparkline");
        command.Arguments.Add(name);
        selector.AddTo(command);
        command.Options.Add(since);
        command.Options.Add(until);
        command.Options.Add(step);
        command.Options.Add(aggregation);
        host.SetAction(command, context => RunAsync(
            context,
            new QueryArguments(
                context.GetValue(name)!,
                selector.GetMatchers(context.ParseResult),
                context.GetValue(since) ?? TimeSpec.Before(DefaultSince),
                context.GetValue(until) ?? TimeSpec.Now,
                context.GetValue(step),
                context.GetValue(aggregation) ?? "avg")));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, QueryArguments arguments)
    {
        var now = context.Time.GetUtcNow();
        var start = arguments.Since.Resolve(now);
        var end = arguments.Until.Resolve(now);
        if (start >= end)
        {
            throw CliException.Usage(
                $"--since ({TimeFormatter.ToRfc3339(start)}) must be before --until ({TimeFormatter.ToRfc3339(end)}).");
        }

        var stepMs = (long)(arguments.Step ?? StepGrid.AutoStep(end - start)).TotalMilliseconds;
        if (stepMs > 0 && (end - start).TotalMilliseconds / stepMs > MaxSteps)
        {
            throw CliException.Usage(
                $"--step {DurationParser.Format(TimeSpan.FromMilliseconds(stepMs))} over {DurationParser.Format(end - start)} " +
                $"would be {(long)((end - start).TotalMilliseconds / stepMs)} steps; the most is {MaxSteps}. " +
                "Use a larger --step, or leave it out to get about 60 steps.");
        }

        var startMs = StepGrid.AlignStart(start.ToUnixTimeMilliseconds(), stepMs);
        var endMs = end.ToUnixTimeMilliseconds();

        var request = new QueryMetricsRequest
        {
            Name = arguments.Name,
            StartUnixMs = startMs,
            // Explicit rather than 0 ("now"), so that the collector's steps and our grid end at the same instant.
            EndUnixMs = endMs,
            StepMs = stepMs,
            Aggregation = MetricNames.Aggregations[arguments.Aggregation],
        };
        request.Matchers.AddRange(arguments.Matchers);
        var response = await context.Admin.QueryMetricsAsync(request, cancellationToken: context.CancellationToken);
        var marks = await AnomalyMarks.FetchAsync(context, response.Series, startMs, endMs);

        var ordered = response.Series
            .OrderBy(s => s.Series?.Hostname, StringComparer.Ordinal)
            .ThenBy(s => MetricsView.DisplayLabels(s.Series ?? new SeriesInfo()), StringComparer.Ordinal)
            .ToList();
        var rows = ordered
            .Select(s => new QueryRow(
                s.Series ?? new SeriesInfo { Name = arguments.Name },
                SeriesStats.From(s.Values),
                StepGrid.Cells(s.TimestampsUnixMs, s.Values, startMs, endMs, stepMs),
                AnomalyMarks.Cells(marks.Of(s.Series), s.TimestampsUnixMs, startMs, endMs, stepMs)))
            .ToList();

        if (context.Output.Format == OutputFormat.Json)
        {
            context.Output.WriteJson(
                new QueryResultJson(
                    arguments.Name, arguments.Aggregation, TimeFormatter.ToRfc3339(DateTimeOffset.FromUnixTimeMilliseconds(startMs)),
                    TimeFormatter.ToRfc3339(end), stepMs, response.Truncated, [.. ordered.Select(s => ToJson(s, arguments.Name, marks.Of(s.Series), stepMs))]),
                MetricsJsonContext.Default.QueryResultJson);
        }
        else if (rows.Count > 0)
        {
            context.Output.WriteLine(Heading(arguments, startMs, endMs, stepMs, context.Time.LocalTimeZone));
            context.Output.Write(MetricsView.Query(rows));
        }

        if (response.Truncated)
        {
            context.Output.Warn($"the collector returned only the first {rows.Count} series; narrow the query with --host or --label.");
        }

        if (rows.Count == 0)
        {
            // Almost always a misspelt name or a filter that matches nothing: a pipeline should notice.
            context.Output.Error.WriteLine(
                $"opsctl: no series of '{arguments.Name}' matched in this time range. " +
                $"Run 'opsctl metrics list {arguments.Name}' to see which series exist.");
            return ExitCodes.Failed;
        }

        return ExitCodes.Ok;
    }

    private static List<PointJson> ToPoints(SeriesPoints series, IReadOnlyList<Anomaly> anomalies, long stepMs)
    {
        var count = Math.Min(series.TimestampsUnixMs.Count, series.Values.Count);
        var points = new List<PointJson>(count);
        for (var i = 0; i < count; i++)
        {
            var unixMs = series.TimestampsUnixMs[i];
            points.Add(new PointJson(
                TimeFormatter.ToRfc3339(DateTimeOffset.FromUnixTimeMilliseconds(unixMs)),
                unixMs,
                SeriesSummaryJson.Finite(series.Values[i]),
                AnomalyMarks.IsAnomalous(anomalies, unixMs, stepMs)));
        }

        return points;
    }

    private static QuerySeriesJson ToJson(SeriesPoints points, string name, IReadOnlyList<Anomaly> anomalies, long stepMs)
    {
        var info = points.Series ?? new SeriesInfo { Name = name };
        return new QuerySeriesJson(
            info.Name,
            MetricNames.Kind(info.Kind),
            info.Unit,
            info.Hostname,
            info.AgentId,
            SeriesJson.ToDictionary(info.Labels),
            SeriesSummaryJson.From(SeriesStats.From(points.Values)),
            ToPoints(points, anomalies, stepMs),
            [.. anomalies.Select(AnomalyJson.From)]);
    }

    private static string Heading(QueryArguments arguments, long startMs, long endMs, long stepMs, TimeZoneInfo zone)
    {
        var how = stepMs == 0
            ? "raw samples"
            : $"{arguments.Aggregation} per {DurationParser.Format(TimeSpan.FromMilliseconds(stepMs))}";
        var filters = arguments.Matchers.Count == 0
            ? string.Empty
            : " · " + string.Join(' ', arguments.Matchers.Select(LabelMatcherParser.Format));
        return $"{arguments.Name} · {how} · {TimeFormatter.Local(startMs, zone)} → {TimeFormatter.Local(endMs, zone)}{filters}";
    }

    private sealed record QueryArguments(
        string Name, List<LabelMatcher> Matchers, TimeSpec Since, TimeSpec Until, TimeSpan? Step, string Aggregation);
}
