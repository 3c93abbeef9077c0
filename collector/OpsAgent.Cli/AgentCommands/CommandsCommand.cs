using System.CommandLine;
using OpsAgent.Cli.Invocation;
using OpsAgent.Cli.Output;
using OpsAgent.Cli.Parsing;
using OpsAgent.Protocol;
// OpsAgent.Protocol has a Command message (commands sent to agents); here Command is a CLI command.
using Command = System.CommandLine.Command;

namespace OpsAgent.Cli.AgentCommands;

/// <summary>
/// `opsctl commands [--pending] [--host H] [--since 24h] [--state S] [--incident ID] [--limit N]`,
/// `opsctl commands show ID [--wait DURATION]`, `opsctl commands approve ID [--comment TEXT]`,
/// `opsctl commands deny ID [--comment TEXT]`.
/// </summary>
internal static class CommandsCommand
{
    public static readonly TimeSpan DefaultSince = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);
    private const int MaxLimit = 5000;

    public static Command Create(CliHost host)
    {
        var pending = new Option<bool>("--pending") { Description = "Only commands awaiting approval (opsctl commands approve ID)" };
        var hostOption = new Option<string?>("--host") { Description = "Only commands for this host (host name or agent id)", HelpName = "HOST" };
        var since = CliOptionFactory.Time("--since", $"Commands made since then (default {DurationParser.Format(DefaultSince)}; ignored with --pending)");
        var state = new Option<string[]>("--state")
        {
            Description = "Only commands in this state; repeat for more: " + string.Join(", ", CommandNames.States),
            HelpName = "STATE",
            Arity = ArgumentArity.ZeroOrMore,
        };
        state.Validators.Add(result =>
        {
            foreach (string value in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!CommandNames.TryParseState(value, out _))
                {
                    result.AddError($"--state '{value}' is not a command state; use one of {string.Join(", ", CommandNames.States)}.");
                }
            }
        });
        var incident = new Option<string?>("--incident") { Description = "Only the commands of this incident's playbook runs", HelpName = "ID" };
        var limit = new Option<int>("--limit") { Description = $"At most this many, newest first (1 to {MaxLimit}, default 100)", DefaultValueFactory = _ => 100 };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > MaxLimit)
            {
                result.AddError($"--limit must be between 1 and {MaxLimit}.");
            }
        });

        var command = new Command("commands", "Commands sent to agents (by opsctl exec and by playbooks): state, who, why, result; approve or deny them");
        command.Options.Add(pending);
        command.Options.Add(hostOption);
        command.Options.Add(since);
        command.Options.Add(state);
        command.Options.Add(incident);
        command.Options.Add(limit);
        host.SetAction(command, context => ListAsync(
            context,
            context.GetValue(pending),
            context.GetValue(hostOption),
            context.GetValue(since) ?? TimeSpec.Before(DefaultSince),
            context.GetValue(state) ?? [],
            context.GetValue(incident),
            context.GetValue(limit)));
        command.Subcommands.Add(CreateShow(host));
        command.Subcommands.Add(CreateDecision(host, approve: true));
        command.Subcommands.Add(CreateDecision(host, approve: false));
        return command;
    }

    /// <summary>Prints one command (table or JSON) and returns the exit code its state means for a script.</summary>
    public static int Print(CommandContext context, CommandInfo info)
    {
        if (context.Output.Format == OutputFormat.Json)
        {
            context.Output.WriteJson(CommandJson.From(info), CommandsJsonContext.Default.CommandJson);
        }
        else
        {
            context.Output.Write(CommandsView.Details(info, context.Time.GetUtcNow(), context.Time.LocalTimeZone));
        }

        return ExitCodeOf(info);
    }

    /// <summary>0 succeeded; 1 failed, rejected, timed out, expired, denied or cancelled; 5 not finished yet.</summary>
    public static int ExitCodeOf(CommandInfo info) =>
        info.State == CommandState.Succeeded ? ExitCodes.Ok
        : CommandNames.IsFinal(info.State) ? ExitCodes.Failed
        : ExitCodes.Pending;

    private static Command CreateShow(CliHost host)
    {
        var id = IdArgument();
        var wait = CliOptionFactory.Duration("--wait", $"Wait up to this long for the command to finish (at most {DurationParser.Format(MaxWait)})", MaxWait);
        var command = new Command("show", "One command in detail: who, why, what, approval, deliveries and the agent's result with its output. " +
            "Exit code 0 succeeded, 1 failed (or rejected, expired, ...), 5 not finished");
        command.Arguments.Add(id);
        command.Options.Add(wait);
        host.SetAction(
            command,
            async context =>
            {
                TimeSpan? waitFor = context.GetValue(wait);
                using var deadline = Deadline(context, waitFor ?? TimeSpan.Zero);
                CommandInfo info = await context.Admin.GetCommandAsync(
                    new GetCommandRequest { CommandId = context.GetValue(id)!, WaitSeconds = (uint)Math.Ceiling((waitFor ?? TimeSpan.Zero).TotalSeconds) },
                    cancellationToken: deadline.Token);
                return Print(context, info);
            },
            TimeoutPolicy.None);
        return command;
    }

    private static Command CreateDecision(CliHost host, bool approve)
    {
        var id = IdArgument();
        var comment = new Option<string?>("--comment") { Description = "Why, for the record (kept with the command and in the audit log)", HelpName = "TEXT" };
        var command = approve
            ? new Command("approve", "Approve a playbook's command that awaits approval: it is signed and sent to its agent (role operator)")
            : new Command("deny", "Deny a playbook's command that awaits approval: it is never sent and the playbook stops (role operator)");
        command.Arguments.Add(id);
        command.Options.Add(comment);
        host.SetAction(command, async context =>
        {
            string commandId = context.GetValue(id)!;
            string text = context.GetValue(comment) ?? "";
            CommandInfo info = approve
                ? await context.Admin.ApproveCommandAsync(new ApproveCommandRequest { CommandId = commandId, Comment = text }, cancellationToken: context.CancellationToken)
                : await context.Admin.DenyCommandAsync(new DenyCommandRequest { CommandId = commandId, Comment = text }, cancellationToken: context.CancellationToken);
            if (context.Output.Format == OutputFormat.Json)
            {
                context.Output.WriteJson(CommandJson.From(info), CommandsJsonContext.Default.CommandJson);
            }
            else
            {
                context.Output.WriteLine(approve
                    ? $"Approved command {info.CommandId} ({info.Action} on {info.Hostname}); it is {CommandNames.State(info.State)}. Follow it with: opsctl commands show {info.CommandId} --wait 2m"
                    : $"Denied command {info.CommandId} ({info.Action} on {info.Hostname}); it will not be sent and playbook {info.Playbook} stops there.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<int> ListAsync(
        CommandContext context, bool pendingOnly, string? host, TimeSpec since, string[] states, string? incident, int limit)
    {
        var now = context.Time.GetUtcNow();
        var start = since.Resolve(now);
        var request = new ListCommandsRequest
        {
            PendingOnly = pendingOnly,
            Host = host ?? "",
            SinceUnixMs = Math.Max(1, start.ToUnixTimeMilliseconds()),
            IncidentId = incident ?? "",
            Limit = (uint)limit,
        };
        foreach (string state in states)
        {
            CommandNames.TryParseState(state, out CommandState parsed);
            request.States.Add(parsed);
        }

        var response = await context.Admin.ListCommandsAsync(request, cancellationToken: context.CancellationToken);
        context.Output.WriteList(
            new CommandListJson([.. response.Commands.Select(CommandJson.From)], response.Truncated), CommandsJsonContext.Default.CommandListJson,
            response.Commands.Count, response.Truncated,
            pendingOnly ? "No command awaits approval." : $"No command since {TimeFormatter.Local(start.ToUnixTimeMilliseconds(), context.Time.LocalTimeZone)}.",
            () => CommandsView.List(response.Commands, now),
            $"only the newest {response.Commands.Count} commands are shown; narrow with --since, --host or --state, or raise --limit.");

        return ExitCodes.Ok;
    }

    private static Argument<string> IdArgument()
    {
        var id = new Argument<string>("id") { Description = "The command's ID, as `opsctl commands` shows it", HelpName = "ID" };
        id.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string>();
            if (string.IsNullOrWhiteSpace(value) || value.Length > 128)
            {
                result.AddError($"'{value}' is not a command ID; use the ID that `opsctl commands` shows, e.g. c3f9a0b1c2d3e4f5.");
            }
        });
        return id;
    }

    /// <summary>
    /// A command that waits for an agent: bounded by how long it was asked to wait plus --timeout for the collector itself
    /// (the collector answers by then with the command as it is).
    /// </summary>
    internal static CancellationTokenSource Deadline(CommandContext context, TimeSpan wait)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        deadline.CancelAfter(wait + context.Connection.Timeout + TimeSpan.FromSeconds(5));
        return deadline;
    }
}
