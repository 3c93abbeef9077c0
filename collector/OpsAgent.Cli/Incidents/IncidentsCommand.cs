using System.CommandLine;
using OpsAgent.Cli.Anomalies;
using OpsAgent.Cli.Invocation;
using OpsAgent.Cli.Output;
using OpsAgent.Cli.Parsing;
using OpsAgent.Protocol;
// OpsAgent.Protocol has a Command message (commands sent to agents); here Command is a CLI command.
using Command = System.CommandLine.Command;

namespace OpsAgent.Cli.Incidents;

/// <summary>`opsctl incidents [--open] [--since 7d] [--host H] [--limit N]` and `opsctl incidents show ID`.</summary>
internal static class IncidentsCommand
{
    public static readonly TimeSpan DefaultSince = TimeSpan.FromDays(7);

    public static Command Create(CliHost host)
    {
        var open = new Option<bool>("--open") { Description = "Only incidents that are still open" };
        var since = CliOptionFactory.Time("--since", $"Incidents open at some time since then (default {DurationParser.Format(DefaultSince)}; ignored with --open)");
        var hostOption = new Option<string?>("--host") { Description = "Only incidents of this host (host name or agent id)", HelpName = "HOST" };
        var limit = AnomaliesCommand.LimitOption(AnomaliesCommand.DefaultLimit);
        var command = new Command("incidents", "List incidents: anomalies of one host that overlap in time, grouped");
        command.Options.Add(open);
        command.Options.Add(since);
        command.Options.Add(hostOption);
        command.Options.Add(limit);
        host.SetAction(command, context => ListAsync(
            context,
            context.GetValue(open),
            context.GetValue(since) ?? TimeSpec.Before(DefaultSince),
            context.GetValue(hostOption),
            context.GetValue(limit)));
        command.Subcommands.Add(CreateShow(host));
        return command;
    }

    private static Command CreateShow(CliHost host)
    {
        var id = new Argument<string>("id") { Description = "The incident's number, as `opsctl incidents` shows it (a leading # is allowed)", HelpName = "ID" };
        var command = new Command("show", "Show one incident with its anomalies");
        command.Arguments.Add(id);
        host.SetAction(command, context => ShowAsync(context, context.GetValue(id)!));
        return command;
    }

    private static async Task<int> ListAsync(CommandContext context, bool openOnly, TimeSpec since, string? host, int limit)
    {
        var now = context.Time.GetUtcNow();
        var start = since.Resolve(now);
        var response = await context.Admin.ListIncidentsAsync(
            new ListIncidentsRequest
            {
                OpenOnly = openOnly,
                SinceUnixMs = Math.Max(1, start.ToUnixTimeMilliseconds()),
                Host = host ?? string.Empty,
                Limit = (uint)limit,
            },
            cancellationToken: context.CancellationToken);

        context.Output.WriteList(
            new IncidentListJson([.. response.Incidents.Select(IncidentJson.From)], response.Truncated), IncidentsJsonContext.Default.IncidentListJson,
            response.Incidents.Count, response.Truncated,
            openOnly ? "No incident is open." : $"No incident since {TimeFormatter.Local(start.ToUnixTimeMilliseconds(), context.Time.LocalTimeZone)}.",
            () => IncidentsView.List(response.Incidents, now),
            $"only the newest {response.Incidents.Count} incidents are shown; narrow with --since or --host, or raise --limit.");

        return ExitCodes.Ok;
    }

    private static async Task<int> ShowAsync(CommandContext context, string text)
    {
        if (!ulong.TryParse(text.TrimStart('#'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong id) || id == 0)
        {
            throw CliException.Usage($"'{text}' is not an incident number; use the ID that `opsctl incidents` shows, e.g. 12.");
        }

        // The collector answers NotFound with its own explanation.
        var incident = await context.Admin.GetIncidentAsync(new GetIncidentRequest { IncidentId = id }, cancellationToken: context.CancellationToken);
        if (context.Output.Format == OutputFormat.Json)
        {
            context.Output.WriteJson(IncidentJson.From(incident), IncidentsJsonContext.Default.IncidentJson);
        }
        else
        {
            context.Output.Write(IncidentsView.Details(incident, context.Time.GetUtcNow(), context.Time.LocalTimeZone));
        }

        return ExitCodes.Ok;
    }
}
