using System.CommandLine;
using Grpc.Core;
using OpsAgent.Cli.Anomalies;
using OpsAgent.Cli.Invocation;
using OpsAgent.Cli.Output;
using OpsAgent.Cli.Parsing;
using OpsAgent.Protocol;
// OpsAgent.Protocol has a Command message (commands sent to agents); here Command is a CLI command.
using Command = System.CommandLine.Command;

namespace OpsAgent.Cli.Watch;

/// <summary>
/// `opsctl watch [--host H] [--metric PREFIX] [--incidents] [--severity warning|critical]`: anomalies and incidents
/// live, one line per event (JSON lines with -o json), until Ctrl-C. --timeout bounds only the connection.
/// </summary>
internal static class WatchCommand
{
    public static Command Create(CliHost host)
    {
        var hostOption = new Option<string?>("--host") { Description = "Only events of this host (host name or agent id)", HelpName = "HOST" };
        var metric = new Option<string?>("--metric") { Description = "Only events about metrics whose name starts with this", HelpName = "PREFIX" };
        var incidents = new Option<bool>("--incidents") { Description = "Only incident events (opened, updated, escalated, resolved)" };
        var severity = new Option<string?>("--severity") { Description = "Only events at least this severe", HelpName = "warning|critical" };
        severity.AcceptOnlyFromAmong([.. DetectionNames.Severities.Keys]);
        var command = new Command("watch", "Show anomalies and incidents live as they happen, until Ctrl-C");
        command.Options.Add(hostOption);
        command.Options.Add(metric);
        command.Options.Add(incidents);
        command.Options.Add(severity);
        host.SetAction(
            command,
            context => RunAsync(context, new WatchEventsRequest
            {
                Host = context.GetValue(hostOption) ?? string.Empty,
                Metric = context.GetValue(metric) ?? string.Empty,
                IncidentsOnly = context.GetValue(incidents),
                MinSeverity = context.GetValue(severity) is { } s ? DetectionNames.Severities[s] : AlertSeverity.Unspecified,
            }),
            TimeoutPolicy.None);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, WatchEventsRequest request)
    {
        using var call = context.Admin.WatchEvents(request, cancellationToken: context.CancellationToken);

        // The collector sends its headers once the watch is in place; only that wait is bounded by --timeout.
        using (var timeout = new CancellationTokenSource(context.Connection.Timeout, context.Time))
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, timeout.Token))
        {
            try
            {
                await call.ResponseHeadersAsync.WaitAsync(connect.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
            {
                throw new CliException(
                    ExitCodes.Unreachable,
                    $"the collector at {context.Connection.DisplayUrl} did not start the watch within {DurationParser.Format(context.Connection.Timeout)}. Is it overloaded? Raise --timeout or check the collector's log.");
            }
        }

        context.Output.Error.WriteLine($"opsctl: watching anomalies and incidents at {context.Connection.DisplayUrl} (Ctrl-C to stop)");
        ulong dropped = 0;
        await foreach (var e in call.ResponseStream.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
        {
            if (e.Dropped > dropped)
            {
                context.Output.Warn($"{e.Dropped - dropped} events were not shown because this watch read too slowly; run 'opsctl anomalies' for the full list.");
                dropped = e.Dropped;
            }

            if (context.Output.Format == OutputFormat.Json)
            {
                context.Output.WriteJsonLine(WatchEventJson.From(e), WatchJsonContext.Default.WatchEventJson);
            }
            else
            {
                context.Output.WriteLine(WatchView.Line(e));
                context.Output.Flush();
            }
        }

        throw new CliException(
            ExitCodes.Unreachable,
            $"the collector at {context.Connection.DisplayUrl} ended the watch (it is stopping or restarting); run 'opsctl watch' again.");
    }
}
