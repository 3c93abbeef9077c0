extern alias Cli;

using Cli::OpsAgent.Cli.Invocation;

namespace OpsAgent.Cli.Tests;

public sealed class CommandCatalogTests
{
    [Fact]
    public void CreateRootCommand_Catalog_RegistersEveryTopLevelCommandOnceWithADescription()
    {
        var root = CliApplication.CreateRootCommand(new CliRuntime { Out = TextWriter.Null, Error = TextWriter.Null });

        var names = root.Subcommands.Select(c => c.Name).ToArray();
        Assert.Equal(["agents", "metrics", "anomalies", "incidents", "watch", "exec", "commands", "playbooks", "tokens", "api-tokens", "audit", "whoami", "quickstart", "eval", "bench"], names);
        Assert.All(root.Subcommands, command => Assert.False(string.IsNullOrWhiteSpace(command.Description)));
    }

    [Fact]
    public void CreateRootCommand_GlobalOptions_AreInheritedBySubcommands()
    {
        var root = CliApplication.CreateRootCommand(new CliRuntime { Out = TextWriter.Null, Error = TextWriter.Null });

        var parse = root.Parse(["metrics", "query", "x", "--collector", "http://127.0.0.1:1", "-o", "json", "--timeout", "9s"]);

        Assert.Empty(parse.Errors);
    }
}
