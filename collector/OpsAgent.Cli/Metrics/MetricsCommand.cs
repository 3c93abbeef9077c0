using System.CommandLine;
using OpsAgent.Cli.Invocation;

namespace OpsAgent.Cli.Metrics;

/// <summary>`opsctl metrics list|query`.</summary>
internal static class MetricsCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("metrics", "Find metric series and query their values");
        command.Subcommands.Add(MetricsListCommand.Create(host));
        command.Subcommands.Add(MetricsQueryCommand.Create(host));
        return command;
    }
}
