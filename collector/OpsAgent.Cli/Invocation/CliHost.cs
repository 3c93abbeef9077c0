using System.CommandLine;
using OpsAgent.Cli.Connection;
using OpsAgent.Cli.Output;

namespace OpsAgent.Cli.Invocation;

/// <summary>
/// What a command factory in <see cref="CommandCatalog"/> gets: the runtime, and <see cref="SetAction"/>, which
/// gives a command its connection, output, timeout and error handling so that the command itself only does its job.
/// </summary>
internal sealed class CliHost(CliRuntime runtime, GlobalOptions globalOptions)
{
    public CliRuntime Runtime { get; } = runtime;

    public GlobalOptions GlobalOptions { get; } = globalOptions;

    /// <summary>
    /// Makes <paramref name="action"/> the command's action. It returns an exit code from <see cref="ExitCodes"/>;
    /// anything it throws (RpcException, CliException, ...) becomes a one-line message and an exit code.
    /// </summary>
    public void SetAction(Command command, Func<CommandContext, Task<int>> action, TimeoutPolicy timeoutPolicy = TimeoutPolicy.WholeCommand) =>
        command.SetAction((parseResult, cancellationToken) => InvokeAsync(parseResult, action, timeoutPolicy, cancellationToken));

    private async Task<int> InvokeAsync(
        ParseResult parseResult, Func<CommandContext, Task<int>> action, TimeoutPolicy timeoutPolicy, CancellationToken cancellationToken)
    {
        var verbose = parseResult.GetValue(GlobalOptions.Verbose);
        var timeout = parseResult.GetValue(GlobalOptions.Timeout) ?? GlobalOptions.DefaultTimeout;
        ConnectionSettings? connection = null;

        // The timeout runs on the injected clock: tests drive it, and "now" and deadlines agree.
        using var timeoutSource = timeoutPolicy == TimeoutPolicy.WholeCommand
            ? new CancellationTokenSource(timeout, Runtime.Time)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            var options = new ConnectionOptions(
                parseResult.GetValue(GlobalOptions.Collector),
                parseResult.GetValue(GlobalOptions.Token),
                parseResult.GetValue(GlobalOptions.Ca),
                parseResult.GetValue(GlobalOptions.Config));
            connection = ConnectionSettingsResolver.Resolve(options, timeout, Runtime.GetEnvironmentVariable);
            var output = new CommandOutput(Runtime, GlobalOptions.ParseOutputFormat(parseResult.GetValue(GlobalOptions.Output)));
            foreach (string warning in connection.Warnings)
            {
                output.Warn(warning);
            }

            using var context = new CommandContext(parseResult, output, Runtime.Time, connection, Runtime.Channels, linked.Token);
            return await action(context).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            var scope = new ErrorScope(
                connection,
                CommandPath(parseResult),
                TimedOut: timeoutSource.IsCancellationRequested,
                Interrupted: cancellationToken.IsCancellationRequested,
                verbose);
            return ErrorReporter.Report(exception, scope, Runtime.Error);
        }
    }

    /// <summary>"opsctl metrics query" for the command that was parsed.</summary>
    public static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
