using System.CommandLine;
using OpsAgent.Cli.Eval;

namespace OpsAgent.Cli;

internal static class Program
{
    // Minimal registration so that `opsctl eval nab` can run; the CLI framework replaces this root command.
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("opsctl: the OpsAgent admin CLI.");
        root.Subcommands.Add(EvalCommand.Create());
        return root.Parse(args).InvokeAsync();
    }
}
