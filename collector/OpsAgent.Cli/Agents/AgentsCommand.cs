using System.CommandLine;
using OpsAgent.Cli.Invocation;
using OpsAgent.Cli.Output;
using OpsAgent.Protocol;
// OpsAgent.Protocol has a Command message (commands sent to agents); here Command is a CLI command.
using Command = System.CommandLine.Command;

namespace OpsAgent.Cli.Agents;

/// <summary>`opsctl agents [--connected]` and `opsctl agents show ID|HOST`.</summary>
internal static class AgentsCommand
{
    public static Command Create(CliHost host)
    {
        var connected = new Option<bool>("--connected") { Description = "Only agents that are connected now" };
        var command = new Command("agents", "List the agents this collector knows (host, version, labels, connection)");
        command.Options.Add(connected);
        host.SetAction(command, context => ListAsync(context, context.GetValue(connected)));
        command.Subcommands.Add(CreateShow(host));
        command.Subcommands.Add(CreateRevoke(host));
        return command;
    }

    private static Command CreateRevoke(CliHost host)
    {
        var agent = new Argument<string>("agent") { Description = "The agent id (opsctl agents)", HelpName = "ID" };
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit log and the agent's log", HelpName = "TEXT" };
        var command = new Command("revoke", "Cut an agent off at once: its certificates stop working and its stream is closed (role operator)");
        command.Arguments.Add(agent);
        command.Options.Add(reason);
        host.SetAction(command, async context =>
        {
            var revoked = await context.Access.RevokeAgentAsync(
                new RevokeAgentRequest { AgentId = context.GetValue(agent)!, Reason = context.GetValue(reason) ?? "" },
                cancellationToken: context.CancellationToken);
            if (context.Output.Format == OutputFormat.Json)
            {
                context.Output.WriteJson(
                    new AgentRevokedJson(revoked.AgentId, revoked.CertificatesRevoked, revoked.Disconnected, TimeFormatter.ToRfc3339(revoked.RevokedUnixMs)),
                    AgentsJsonContext.Default.AgentRevokedJson);
            }
            else
            {
                context.Output.WriteLine(
                    $"Agent {revoked.AgentId} is revoked: {revoked.CertificatesRevoked} certificate(s) no longer work" +
                    (revoked.Disconnected ? ", and its open stream was closed." : "; it was not connected.") +
                    " To let the host back in, enrol it again with a new token (opsctl tokens create).");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateShow(CliHost host)
    {
        var agent = new Argument<string>("agent") { Description = "An agent id or a host name", HelpName = "ID|HOST" };
        var command = new Command("show", "Show one agent with its host facts");
        command.Arguments.Add(agent);
        host.SetAction(command, context => ShowAsync(context, context.GetValue(agent)!));
        return command;
    }

    private static async Task<int> ListAsync(CommandContext context, bool connectedOnly)
    {
        var response = await context.Admin.ListAgentsAsync(
            new ListAgentsRequest { ConnectedOnly = connectedOnly },
            cancellationToken: context.CancellationToken);

        var agents = response.Agents
            .OrderBy(a => a.Hostname, StringComparer.Ordinal)
            .ThenBy(a => a.AgentId, StringComparer.Ordinal)
            .ToList();

        if (context.Output.Format == OutputFormat.Json)
        {
            context.Output.WriteJson(new AgentListJson([.. agents.Select(AgentJson.From)]), AgentsJsonContext.Default.AgentListJson);
        }
        else if (agents.Count == 0)
        {
            context.Output.WriteLine(connectedOnly
                ? "No agents are connected to this collector."
                : "No agent has connected to this collector yet.");
        }
        else
        {
            context.Output.Write(AgentsView.List(agents, context.Time.GetUtcNow()));
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> ShowAsync(CommandContext context, string idOrHost)
    {
        // The collector resolves an agent id or a hostname and answers NotFound with its own explanation.
        var agent = await context.Admin.GetAgentAsync(
            new GetAgentRequest { AgentId = idOrHost },
            cancellationToken: context.CancellationToken);

        if (context.Output.Format == OutputFormat.Json)
        {
            context.Output.WriteJson(AgentJson.From(agent), AgentsJsonContext.Default.AgentJson);
        }
        else
        {
            context.Output.Write(AgentsView.Details(agent, context.Time.GetUtcNow(), context.Time.LocalTimeZone));
        }

        return ExitCodes.Ok;
    }
}
