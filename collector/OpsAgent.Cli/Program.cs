using System.Text;
using OpsAgent.Cli.Invocation;

namespace OpsAgent.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        // Sparklines and table cells are Unicode; a Windows console defaults to a code page without them.
        Console.OutputEncoding = Encoding.UTF8;
        return CliApplication.RunAsync(args, CliRuntime.FromProcess());
    }
}
