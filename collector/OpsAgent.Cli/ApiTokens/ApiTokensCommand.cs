using System.CommandLine;
using OpsAgent.Cli.Invocation;
using OpsAgent.Cli.Output;
using OpsAgent.Cli.Parsing;
using OpsAgent.Protocol;
using Command = System.CommandLine.Command;

namespace OpsAgent.Cli.ApiTokens;

/// <summary>
/// `opsctl api-tokens create NAME --role viewer|operator|admin [--expires 90d]`, `list [--all]`, `revoke ID`: the
/// tokens people and CI pipelines use with opsctl (role admin).
/// </summary>
internal static class ApiTokensCommand
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3650);

    public static Command Create(CliHost host)
    {
        var command = new Command("api-tokens", "API tokens for opsctl and CI, each with a role: viewer < operator < admin");
        command.Subcommands.Add(CreateCreate(host));
        command.Subcommands.Add(CreateList(host));
        command.Subcommands.Add(CreateRevoke(host));
        return command;
    }

    private static Command CreateCreate(CliHost host)
    {
        var name = new Argument<string>("name") { Description = "Who or what uses it: alice, ci-deploy", HelpName = "NAME" };
        var role = new Option<string>("--role")
        {
            Description = "viewer: read; operator: also act on the fleet (commands, approvals, rollouts, revoking agents); admin: also tokens, policy, audit",
            Required = true,
        };
        role.AcceptOnlyFromAmong("viewer", "operator", "admin");
        var expires = CliOptionFactory.Duration("--expires", "How long the token works, e.g. 90d (default: until revoked)", MaxLifetime);
        var command = new Command("create", "Create an API token; prints it on stdout, once");
        command.Arguments.Add(name);
        command.Options.Add(role);
        command.Options.Add(expires);
        host.SetAction(command, async context =>
        {
            var request = new CreateApiTokenRequest
            {
                Name = context.GetValue(name)!,
                Role = context.GetValue(role) switch { "viewer" => Role.Viewer, "operator" => Role.Operator, _ => Role.Admin },
                TtlSeconds = (long)(context.GetValue(expires)?.TotalSeconds ?? 0),
            };
            var created = await context.Access.CreateApiTokenAsync(request, cancellationToken: context.CancellationToken);
            var details = ApiTokenJson.From(created.Token, context.Time.GetUtcNow());
            if (context.Output.Format == OutputFormat.Json)
            {
                context.Output.WriteJson(new CreatedApiTokenJson(created.Secret, details), ApiTokensJsonContext.Default.CreatedApiTokenJson);
            }
            else
            {
                context.Output.WriteLine(created.Secret);
                context.Output.Error.WriteLine(
                    $"API token {details.TokenId} ({details.Name}, role {details.Role}){(details.Expires is null ? "" : ", valid until " + details.Expires)}. " +
                    "It is shown only now; the collector keeps only its hash. Use it with --token, OPSAGENT_TOKEN, or \"token\" in the opsctl config file.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateList(CliHost host)
    {
        var all = new Option<bool>("--all") { Description = "Also revoked and expired tokens" };
        var command = new Command("list", "List API tokens (active ones unless --all); never their secrets");
        command.Options.Add(all);
        host.SetAction(command, async context =>
        {
            var response = await context.Access.ListApiTokensAsync(
                new ListApiTokensRequest { IncludeInactive = context.GetValue(all) }, cancellationToken: context.CancellationToken);
            var now = context.Time.GetUtcNow();
            if (context.Output.Format == OutputFormat.Json)
            {
                context.Output.WriteJson(new ApiTokenListJson([.. response.Tokens.Select(t => ApiTokenJson.From(t, now))]), ApiTokensJsonContext.Default.ApiTokenListJson);
                return ExitCodes.Ok;
            }

            var table = CommandOutput.CreateTable("Token ID", "Name", "Role", "State", "Last used", "Expires", "Created by");
            foreach (var token in response.Tokens)
            {
                CommandOutput.AddRow(
                    table,
                    token.TokenId,
                    token.Name,
                    ApiTokenJson.RoleName(token.Role),
                    ApiTokenJson.StateOf(token, now),
                    TimeFormatter.Ago(token.LastUsedUnixMs, now),
                    token.ExpiresUnixMs > 0 ? TimeFormatter.Ago(token.ExpiresUnixMs, now) : "never",
                    token.CreatedBy);
            }

            context.Output.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateRevoke(CliHost host)
    {
        var id = new Argument<string>("id") { Description = "The token id (first column of opsctl api-tokens list)", HelpName = "ID" };
        var command = new Command("revoke", "Revoke an API token; it stops working at once");
        command.Arguments.Add(id);
        host.SetAction(command, async context =>
        {
            var token = await context.Access.RevokeApiTokenAsync(new RevokeApiTokenRequest { TokenId = context.GetValue(id)! }, cancellationToken: context.CancellationToken);
            if (context.Output.Format == OutputFormat.Json)
            {
                context.Output.WriteJson(ApiTokenJson.From(token, context.Time.GetUtcNow()), ApiTokensJsonContext.Default.ApiTokenJson);
            }
            else
            {
                context.Output.WriteLine($"API token {token.TokenId} ({token.Name}) is revoked.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
