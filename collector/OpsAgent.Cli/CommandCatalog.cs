using System.CommandLine;
using OpsAgent.Cli.AgentCommands;
using OpsAgent.Cli.Agents;
using OpsAgent.Cli.Anomalies;
using OpsAgent.Cli.ApiTokens;
using OpsAgent.Cli.Audit;
using OpsAgent.Cli.Bench;
using OpsAgent.Cli.Eval;
using OpsAgent.Cli.Exec;
using OpsAgent.Cli.Incidents;
using OpsAgent.Cli.Invocation;
using OpsAgent.Cli.Metrics;
using OpsAgent.Cli.Playbooks;
using OpsAgent.Cli.Quickstart;
using OpsAgent.Cli.Tokens;
using OpsAgent.Cli.Watch;

namespace OpsAgent.Cli;

/// <summary>
/// The one place where top-level commands are registered. A new command lives in its own feature folder with a
/// <c>static Command Create(CliHost host)</c> and is added here with one line; nothing else in the framework changes.
/// </summary>
internal static class CommandCatalog
{
    /// <summary>In the order `opsctl --help` lists them.</summary>
    public static IReadOnlyList<Func<CliHost, Command>> TopLevel { get; } =
    [
        AgentsCommand.Create,
        MetricsCommand.Create,
        AnomaliesCommand.Create,
        IncidentsCommand.Create,
        WatchCommand.Create,
        ExecCommand.Create,
        CommandsCommand.Create,
        PlaybooksCommand.Create,
        TokensCommand.Create,
        ApiTokensCommand.Create,
        AuditCommand.Create,
        WhoAmICommand.Create,
        QuickstartCommand.Create,
        EvalCommand.Create,
        BenchCommand.Create,
    ];
}
