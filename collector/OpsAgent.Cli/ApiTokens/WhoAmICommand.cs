using OpsAgent.Cli.Invocation;
using OpsAgent.Cli.Output;
using OpsAgent.Protocol;
using Command = System.CommandLine.Command;

namespace OpsAgent.Cli.ApiTokens;

/// <summary>`opsctl whoami`: which token opsctl presents to which collector, and its role.</summary>
internal static class WhoAmICommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("whoami", "Show the API token opsctl uses with this collector and its role");
        host.SetAction(command, async context =>
        {
            var me = await context.Access.WhoAmIAsync(new WhoAmIRequest(), cancellationToken: context.CancellationToken);
            var json = new WhoAmIJson(me.TokenId, me.Name, ApiTokenJson.RoleName(me.Role), me.Insecure);
            if (context.Output.Format == OutputFormat.Json)
            {
                context.Output.WriteJson(json, ApiTokensJsonContext.Default.WhoAmIJson);
            }
            else if (me.Insecure)
            {
                context.Output.WriteLine($"The collector at {context.Connection.DisplayUrl} runs in insecure mode: it authenticates nobody, every caller is admin.");
            }
            else
            {
                context.Output.WriteLine($"token {json.TokenId} ({json.Name}), role {json.Role}, at {context.Connection.DisplayUrl} (token from {context.Connection.TokenSource}).");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
