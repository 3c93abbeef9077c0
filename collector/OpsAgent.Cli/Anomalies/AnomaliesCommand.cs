using System.CommandLine;
using OpsAgent.Cli.Invocation;
using OpsAgent.Cli.Output;
using OpsAgent.Cli.Parsing;
using OpsAgent.Protocol;
// OpsAgent.Protocol has a Command message (commands sent to agents); here Command is a CLI command.
using Command = System.CommandLine.Command;

namespace OpsAgent.Cli.Anomalies;

/// <summary>`opsctl anomalies [--since 24h] [--until TIME] [--host H] [--metric PREFIX] [--open] [--limit N]`.</summary>
internal static class AnomaliesCommand
{
    public static readonly TimeSpan DefaultSince = TimeSpan.FromHours(24);

    public const int DefaultLimit = 100;

    public static Command Create(CliHost host)
    {
        var since = CliOptionFactory.Time("--since", $"Anomalies open at some time since then: a duration ago or an RFC 3339 time (default {DurationParser.Format(DefaultSince)})");
        var until = CliOptionFactory.Time("--until", "...and before then (default now)");
        var hostOption = new Option<string?>("--host") { Description = "Only anomalies of this host (host name or agent id)", HelpName = "HOST" };
        var metric = new Option<string?>("--metric") { Description = "Only anomalies of metrics whose name starts with this", HelpName = "PREFIX" };
        var open = new Option<bool>("--open") { Description = "Only anomalies that are still open" };
        var limit = LimitOption(DefaultLimit);

        var command = new Command("anomalies", "List anomalies: series that did not behave as usual, and resources forecast to run out");
        command.Options.Add(since);
        command.Options.Add(until);
        command.Options.Add(hostOption);
        command.Options.Add(metric);
        command.Options.Add(open);
        command.Options.Add(limit);
        host.SetAction(command, context => RunAsync(
            context,
            context.GetValue(since) ?? TimeSpec.Before(DefaultSince),
            context.GetValue(until) ?? TimeSpec.Now,
            context.GetValue(hostOption),
            context.GetValue(metric),
            context.GetValue(open),
            context.GetValue(limit)));
        return command;
    }

    /// <summary>--limit N (1 to 5000), shared with `opsctl incidents`.</summary>
    public static Option<int> LimitOption(int defaultLimit)
    {
        var option = new Option<int>("--limit")
        {
            Description = $"At most this many, newest first (default {defaultLimit}, at most 5000)",
            HelpName = "N",
            DefaultValueFactory = _ => defaultLimit,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 5000)
            {
                result.AddError("--limit must be between 1 and 5000.");
            }
        });
        return option;
    }

    private static async Task<int> RunAsync(CommandContext context, TimeSpec since, TimeSpec until, string? host, string? metric, bool openOnly, int limit)
    {
        var now = context.Time.GetUtcNow();
        var start = since.Resolve(now);
        var end = until.Resolve(now);
        if (start > end)
        {
            throw CliException.Usage($"--since ({TimeFormatter.ToRfc3339(start)}) must be before --until ({TimeFormatter.ToRfc3339(end)}).");
        }

        var response = await context.Admin.ListAnomaliesAsync(
            new ListAnomaliesRequest
            {
                SinceUnixMs = Math.Max(1, start.ToUnixTimeMilliseconds()),
                UntilUnixMs = end.ToUnixTimeMilliseconds(),
                Host = host ?? string.Empty,
                Metric = metric ?? string.Empty,
                OpenOnly = openOnly,
                Limit = (uint)limit,
            },
            cancellationToken: context.CancellationToken);

        context.Output.WriteList(
            new AnomalyListJson([.. response.Anomalies.Select(AnomalyJson.From)], response.Truncated), AnomaliesJsonContext.Default.AnomalyListJson,
            response.Anomalies.Count, response.Truncated,
            openOnly ? "No anomaly is open." : $"No anomaly since {TimeFormatter.Local(start.ToUnixTimeMilliseconds(), context.Time.LocalTimeZone)}.",
            () => AnomaliesView.List(response.Anomalies, now),
            $"only the newest {response.Anomalies.Count} anomalies are shown; narrow with --since, --host or --metric, or raise --limit.");

        return ExitCodes.Ok;
    }
}
