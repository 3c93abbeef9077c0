using System.CommandLine;
using OpsAgent.Cli.Invocation;
using OpsAgent.Cli.Output;
using OpsAgent.Cli.Parsing;
using OpsAgent.Protocol;
using Command = System.CommandLine.Command;

namespace OpsAgent.Cli.Audit;

/// <summary>`opsctl audit [--since 24h] [--limit 100]`: who did what, newest first (role admin).</summary>
internal static class AuditCommand
{
    public static readonly TimeSpan DefaultSince = TimeSpan.FromHours(24);
    private const int MaxLimit = 10_000;

    public static Command Create(CliHost host)
    {
        var since = CliOptionFactory.Time("--since", $"Oldest entry: a duration ago or an RFC 3339 time (default {DurationParser.Format(DefaultSince)})");
        var limit = new Option<int>("--limit") { Description = $"At most this many entries, newest first (1 to {MaxLimit}, default 100)", DefaultValueFactory = _ => 100 };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > MaxLimit)
            {
                result.AddError($"--limit must be between 1 and {MaxLimit}.");
            }
        });
        var command = new Command("audit", "The audit log: every admin call with its caller and outcome, enrolments, refused agents");
        command.Options.Add(since);
        command.Options.Add(limit);
        host.SetAction(command, async context =>
        {
            var now = context.Time.GetUtcNow();
            var from = (context.GetValue(since) ?? TimeSpec.Before(DefaultSince)).Resolve(now);
            var response = await context.Access.ListAuditEventsAsync(
                new ListAuditEventsRequest { SinceUnixMs = from.ToUnixTimeMilliseconds(), Limit = (uint)context.GetValue(limit) },
                cancellationToken: context.CancellationToken);
            if (context.Output.Format == OutputFormat.Json)
            {
                context.Output.WriteJson(new AuditListJson([.. response.Events.Select(AuditEventJson.From)], response.Truncated), AuditJsonContext.Default.AuditListJson);
                return ExitCodes.Ok;
            }

            if (response.Events.Count == 0)
            {
                context.Output.WriteLine($"No audit entries since {TimeFormatter.ToRfc3339(from)}.");
                return ExitCodes.Ok;
            }

            var table = CommandOutput.CreateTable("Time", "Who", "Role", "Method", "Outcome", "Peer", "Detail");
            foreach (var e in response.Events)
            {
                CommandOutput.AddRow(
                    table,
                    TimeFormatter.Local(e.TimeUnixMs, context.Time.LocalTimeZone),
                    Who(e),
                    e.Role.Length > 0 ? e.Role : "-",
                    e.Method,
                    e.Outcome,
                    e.Peer,
                    e.Detail.Length > 0 ? e.Detail : "-");
            }

            context.Output.Write(table);
            if (response.Truncated)
            {
                context.Output.Warn($"more entries than --limit {context.GetValue(limit)}; narrow --since or raise --limit.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Who(AuditEvent e) => e.ActorKind switch
    {
        "api_token" => $"{e.ActorName} ({e.ActorId})",
        "agent" => e.ActorId.Length > 0 ? "agent " + e.ActorId : "unknown agent",
        "enrollment_token" => $"enrolment token {e.ActorId}" + (e.ActorName.Length > 0 ? $" ({e.ActorName})" : ""),
        _ => e.ActorKind,
    };
}
