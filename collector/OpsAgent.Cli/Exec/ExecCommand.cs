using System.CommandLine;
using OpsAgent.Cli.AgentCommands;
using OpsAgent.Cli.Invocation;
using OpsAgent.Cli.Output;
using OpsAgent.Cli.Parsing;
using OpsAgent.Collector.Playbooks.Format;
using OpsAgent.Protocol;
// OpsAgent.Protocol has a Command message (commands sent to agents); here Command is a CLI command.
using Command = System.CommandLine.Command;

namespace OpsAgent.Cli.Exec;

/// <summary>
/// `opsctl exec HOST ACTION [args]`: one ad-hoc action on one host, carried out by its agent if the agent's local policy
/// allows it (role operator). Waits for the result by default and prints it with its output; the exit code says how it
/// went (0 succeeded, 1 failed/rejected/expired, 5 not finished within --wait-timeout).
/// </summary>
internal static class ExecCommand
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan MaxRunTimeout = TimeSpan.FromHours(1);

    public static Command Create(CliHost host)
    {
        var options = new ExecOptions();
        var hostArgument = new Argument<string>("host") { Description = "The host name or agent id, as `opsctl agents` shows it", HelpName = "HOST" };
        var command = new Command("exec", "Run one action on a host through its agent, within the agent's local policy (role operator); prints the result");
        command.Arguments.Add(hostArgument);
        options.AddTo(command);

        foreach ((string name, ServiceAction.Types.Operation operation) in new[]
        {
            ("restart-service", ServiceAction.Types.Operation.Restart),
            ("stop-service", ServiceAction.Types.Operation.Stop),
            ("start-service", ServiceAction.Types.Operation.Start),
        })
        {
            var service = new Argument<string>("name") { Description = "The systemd unit (nginx or nginx.service) or Windows service", HelpName = "NAME" };
            var sub = new Command(name, $"{char.ToUpperInvariant(name[0])}{name[1..].Replace('-', ' ')} (systemctl {operation.ToString().ToLowerInvariant()} on Linux)");
            sub.Arguments.Add(service);
            host.SetAction(sub, context => RunAsync(context, hostArgument, options, r => r.Service = new ServiceAction { Operation = operation, Service = context.GetValue(service)! }), TimeoutPolicy.None);
            command.Subcommands.Add(sub);
        }

        command.Subcommands.Add(CreateSignal(host, hostArgument, options));
        command.Subcommands.Add(CreateCleanup(host, hostArgument, options));
        command.Subcommands.Add(CreateScript(host, hostArgument, options));
        command.Subcommands.Add(CreateDiagnostics(host, hostArgument, options));
        return command;
    }

    private static Command CreateSignal(CliHost host, Argument<string> hostArgument, ExecOptions options)
    {
        var pid = new Option<int?>("--pid") { Description = "The process id (signalled only if the policy lists its process name)", HelpName = "PID" };
        var name = new Option<string?>("--name") { Description = "Every process with exactly this name", HelpName = "NAME" };
        var signal = new Option<string>("--signal") { Description = "HUP, INT, QUIT, KILL, USR1, USR2, TERM, STOP or CONT (default TERM)", HelpName = "SIGNAL", DefaultValueFactory = _ => "TERM" };
        var sub = new Command("signal", "Send a signal to a process, by --pid or --name");
        sub.Options.Add(pid);
        sub.Options.Add(name);
        sub.Options.Add(signal);
        sub.Validators.Add(result =>
        {
            if ((result.GetValue(pid) is null) == (result.GetValue(name) is null))
            {
                result.AddError("signal needs exactly one of --pid or --name.");
            }
        });
        host.SetAction(
            sub,
            context => RunAsync(context, hostArgument, options, r =>
            {
                var action = new SignalProcess { Signal = context.GetValue(signal)! };
                if (context.GetValue(pid) is { } id)
                {
                    action.Pid = id;
                }
                else
                {
                    action.ProcessName = context.GetValue(name)!;
                }

                r.Signal = action;
            }),
            TimeoutPolicy.None);
        return sub;
    }

    private static Command CreateCleanup(CliHost host, Argument<string> hostArgument, ExecOptions options)
    {
        var directory = new Argument<string>("directory") { Description = "Absolute path of the directory (inside one the agent's policy allows)", HelpName = "DIR" };
        var pattern = new Option<string>("--pattern") { Description = "File name glob, e.g. *.log.gz", HelpName = "GLOB", Required = true };
        var olderThan = new Option<TimeSpan?>("--older-than")
        {
            Description = "Only files not written for this long, e.g. 7d (0s: any age)",
            HelpName = "DURATION",
            CustomParser = result =>
            {
                string? text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
                if (DurationParser.TryParse("--older-than", text, out TimeSpan value, out string? error))
                {
                    return value;
                }

                result.AddError(error);
                return null;
            },
        };
        var largerThan = new Option<long?>("--larger-than")
        {
            Description = "Only files larger than this, written as in playbooks (1048576, 500KB, 10MB, 1GiB)",
            HelpName = "SIZE",
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (SizeText.TryParse(text, out long bytes, out string error))
                {
                    return bytes;
                }

                result.AddError("--larger-than " + error);
                return null;
            },
        };
        var maxFiles = new Option<uint>("--max-files") { Description = "At most this many files, oldest first (0: the policy's limit)", HelpName = "N" };
        var sub = new Command("cleanup", "Delete old or large files matching a pattern in a directory the agent's policy allows (give --older-than, --larger-than or both)");
        sub.Arguments.Add(directory);
        sub.Options.Add(pattern);
        sub.Options.Add(olderThan);
        sub.Options.Add(largerThan);
        sub.Options.Add(maxFiles);
        sub.Validators.Add(result =>
        {
            // Whether they were given, not their values: a value that failed to parse has its own error already, and
            // reading it here would throw instead of reporting it.
            if (result.GetResult(olderThan) is null && result.GetResult(largerThan) is null)
            {
                result.AddError("cleanup needs --older-than, --larger-than or both (--older-than 0s if you really mean every matching file).");
            }
        });
        host.SetAction(
            sub,
            context => RunAsync(context, hostArgument, options, r => r.Cleanup = new CleanupFiles
            {
                Directory = context.GetValue(directory)!,
                Pattern = context.GetValue(pattern)!,
                OlderThanSeconds = (long)(context.GetValue(olderThan) ?? TimeSpan.Zero).TotalSeconds,
                LargerThanBytes = context.GetValue(largerThan) ?? 0,
                MaxFiles = context.GetValue(maxFiles),
            }),
            TimeoutPolicy.None);
        return sub;
    }

    private static Command CreateScript(CliHost host, Argument<string> hostArgument, ExecOptions options)
    {
        var name = new Argument<string>("name") { Description = "A script in the agent's scripts directory that its policy allows", HelpName = "NAME" };
        var args = new Argument<string[]>("args") { Description = "Arguments, after --; passed as argv, never through a shell", HelpName = "ARGS", Arity = ArgumentArity.ZeroOrMore };
        var sub = new Command("script", "Run an allowlisted script with arguments: opsctl exec HOST script NAME -- ARG ...");
        sub.Arguments.Add(name);
        sub.Arguments.Add(args);
        host.SetAction(
            sub,
            context => RunAsync(context, hostArgument, options, r =>
            {
                var script = new RunScript { Name = context.GetValue(name)! };
                script.Args.Add(context.GetValue(args) ?? []);
                r.Script = script;
            }),
            TimeoutPolicy.None);
        return sub;
    }

    private static Command CreateDiagnostics(CliHost host, Argument<string> hostArgument, ExecOptions options)
    {
        var top = new Option<uint>("--top") { Description = "Top processes by memory and CPU (default 10)", HelpName = "N", DefaultValueFactory = _ => 10 };
        var dir = new Option<string?>("--dir") { Description = "Also list the biggest entries below this directory", HelpName = "DIR" };
        var topEntries = new Option<uint>("--top-entries") { Description = "How many of the biggest entries (default 20)", HelpName = "N", DefaultValueFactory = _ => 20 };
        var sub = new Command("diagnostics", "Collect the top processes and, with --dir, the biggest entries of a directory (changes nothing)");
        sub.Options.Add(top);
        sub.Options.Add(dir);
        sub.Options.Add(topEntries);
        host.SetAction(
            sub,
            context => RunAsync(context, hostArgument, options, r => r.Diagnostics = new CollectDiagnostics
            {
                TopProcesses = context.GetValue(top),
                Directory = context.GetValue(dir) ?? "",
                TopEntries = context.GetValue(topEntries),
            }),
            TimeoutPolicy.None);
        return sub;
    }

    private static async Task<int> RunAsync(CommandContext context, Argument<string> hostArgument, ExecOptions options, Action<ExecCommandRequest> fill)
    {
        bool wait = !context.GetValue(options.NoWait);
        TimeSpan waitFor = wait ? context.GetValue(options.WaitTimeout) ?? DefaultWait : TimeSpan.Zero;
        var request = new ExecCommandRequest
        {
            Host = context.GetValue(hostArgument)!,
            DryRun = context.GetValue(options.DryRun),
            Reason = context.GetValue(options.Reason) ?? "",
            TimeoutSeconds = (uint)Math.Ceiling((context.GetValue(options.RunTimeout) ?? TimeSpan.Zero).TotalSeconds),
            WaitSeconds = (uint)Math.Ceiling(waitFor.TotalSeconds),
        };
        fill(request);
        using CancellationTokenSource deadline = CommandsCommand.Deadline(context, waitFor);
        CommandInfo info = await context.Admin.ExecCommandAsync(request, cancellationToken: deadline.Token);
        if (context.Output.Format == OutputFormat.Json)
        {
            context.Output.WriteJson(CommandJson.From(info), CommandsJsonContext.Default.CommandJson);
            return wait ? CommandsCommand.ExitCodeOf(info) : ExitCodes.Ok;
        }

        DateTimeOffset now = context.Time.GetUtcNow();
        if (!wait)
        {
            context.Output.WriteLine($"Command {info.CommandId} ({info.Action}) for {info.Hostname}: {CommandsView.Outcome(info, now)}. Follow it with: opsctl commands show {info.CommandId} --wait 2m");
            return ExitCodes.Ok;
        }

        context.Output.WriteLine($"Command {info.CommandId} ({info.Action}) on {info.Hostname}: {CommandsView.Outcome(info, now)}");
        if (info.Result is { Output.Length: > 0 } result)
        {
            context.Output.WriteLine(result.Output.TrimEnd());
            if (result.OutputTruncated)
            {
                context.Output.Warn("the output was cut by the agent or the collector (the agent's policy sets MaxOutputBytes).");
            }
        }

        int exitCode = CommandsCommand.ExitCodeOf(info);
        if (exitCode == ExitCodes.Pending)
        {
            context.Output.Warn($"command {info.CommandId} has not finished within {DurationParser.Format(waitFor)}; follow it with: opsctl commands show {info.CommandId} --wait 5m");
        }

        return exitCode;
    }

    /// <summary>Options every action of exec takes; they may be written before or after the action.</summary>
    private sealed class ExecOptions
    {
        public Option<bool> DryRun { get; } = new("--dry-run") { Description = "The agent checks its policy and reports what it would do; nothing changes", Recursive = true };

        public Option<string?> Reason { get; } = new("--reason") { Description = "Why, for the record (kept with the command)", HelpName = "TEXT", Recursive = true };

        public Option<bool> NoWait { get; } = new("--no-wait") { Description = "Print the command's ID and return at once instead of waiting for the result", Recursive = true };

        public Option<TimeSpan?> WaitTimeout { get; } = Recursive(CliOptionFactory.Duration(
            "--wait-timeout", $"How long to wait for the result (default {DurationParser.Format(DefaultWait)}, at most {DurationParser.Format(CommandsCommand.MaxWait)})", CommandsCommand.MaxWait));

        public Option<TimeSpan?> RunTimeout { get; } = Recursive(CliOptionFactory.Duration(
            "--run-timeout", "The longest the action may run on the agent (default 60s; the agent's policy may allow less)", MaxRunTimeout));

        public void AddTo(Command command)
        {
            command.Options.Add(DryRun);
            command.Options.Add(Reason);
            command.Options.Add(NoWait);
            command.Options.Add(WaitTimeout);
            command.Options.Add(RunTimeout);
        }

        private static Option<TimeSpan?> Recursive(Option<TimeSpan?> option)
        {
            option.Recursive = true;
            return option;
        }
    }
}
