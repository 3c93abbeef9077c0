using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace OpsAgent.Cli.Invocation;

/// <summary>
/// Builds the opsctl command tree from <see cref="CommandCatalog"/> and runs one command line against a
/// <see cref="CliRuntime"/>. The process entry point and the tests both come through here.
/// </summary>
internal static class CliApplication
{
    public const string Name = "opsctl";

    private const string Description =
        "Administer an OpsAgent collector and its fleet of agents.\n" +
        "Exit codes: 0 ok, 1 failed or not found, 2 usage error, 3 collector unreachable or too slow, " +
        "4 permission denied, 5 an agent's command not finished within the wait, 130 interrupted.";

    public static Command CreateRootCommand(CliRuntime runtime)
    {
        // A plain Command rather than RootCommand: RootCommand names itself after the executable, which is the
        // test host under test, and help must say "opsctl" everywhere.
        var root = new Command(Name, Description);
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        var globalOptions = new GlobalOptions();
        globalOptions.AddTo(root);

        var host = new CliHost(runtime, globalOptions);
        foreach (var create in CommandCatalog.TopLevel)
        {
            root.Subcommands.Add(create(host));
        }

        return root;
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliRuntime runtime, CancellationToken cancellationToken = default)
    {
        var root = CreateRootCommand(runtime);
        var parseResult = root.Parse(args);

        if (parseResult.Errors.Count > 0 && parseResult.Action is null or ParseErrorAction)
        {
            // Our own rendering instead of System.CommandLine's: one "opsctl:" line per error, a pointer to help,
            // and the documented usage exit code (System.CommandLine would return 1, which means "failed").
            foreach (var error in parseResult.Errors)
            {
                runtime.Error.WriteLine("opsctl: " + error.Message);
            }

            runtime.Error.WriteLine($"Run '{CliHost.CommandPath(parseResult)} --help' for usage.");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = runtime.Out,
            Error = runtime.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = runtime.HandleTerminationSignals ? TimeSpan.FromSeconds(2) : null,
        };
        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
