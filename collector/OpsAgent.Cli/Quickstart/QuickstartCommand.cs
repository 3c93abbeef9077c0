using System.CommandLine;
using OpsAgent.Cli.Invocation;

namespace OpsAgent.Cli.Quickstart;

/// <summary>`opsctl quickstart`: a collector with its embedded store and one local agent, on loopback.</summary>
internal static class QuickstartCommand
{
    public static Command Create(CliHost host)
    {
        var dataDirectory = new Option<string>("--data-dir")
        {
            Description = "Where the collector's store and the agent's state go.",
            DefaultValueFactory = _ => ".quickstart",
        };
        var interval = new Option<int>("--interval")
        {
            Description = "Seconds between two collections of host metrics.",
            DefaultValueFactory = _ => 5,
        };
        var basePort = new Option<int>("--base-port")
        {
            Description = "The agent gateway's port; the admin API and /metrics use the next two.",
            DefaultValueFactory = _ => QuickstartRunner.DefaultBasePort,
        };
        var command = new Command("quickstart", "Run a collector (embedded store) and one local agent on loopback; Ctrl-C stops both.")
        {
            dataDirectory,
            interval,
            basePort,
        };
        host.SetAction(
            command,
            context => new QuickstartRunner(
                Path.GetFullPath(context.GetValue(dataDirectory)!),
                context.GetValue(interval),
                context.GetValue(basePort),
                host.Runtime.Out,
                host.Runtime.Error).RunAsync(context.CancellationToken),
            TimeoutPolicy.None);
        return command;
    }
}
