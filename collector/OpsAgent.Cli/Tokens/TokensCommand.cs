using System.CommandLine;
using OpsAgent.Cli.Invocation;
using OpsAgent.Cli.Output;
using OpsAgent.Cli.Parsing;
using OpsAgent.Protocol;
using Command = System.CommandLine.Command;

namespace OpsAgent.Cli.Tokens;

/// <summary>
/// `opsctl tokens create --expires 1h [--labels k=v]`, `opsctl tokens list [--all]`, `opsctl tokens revoke ID`:
/// single-use enrolment tokens for new agents (role admin).
/// </summary>
internal static class TokensCommand
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    public static Command Create(CliHost host)
    {
        var command = new Command("tokens", "Enrolment tokens: how a new agent gets its identity (single use, with an expiry)");
        command.Subcommands.Add(CreateCreate(host));
        command.Subcommands.Add(CreateList(host));
        command.Subcommands.Add(CreateRevoke(host));
        return command;
    }

    private static Command CreateCreate(CliHost host)
    {
        var expires = CliOptionFactory.Duration("--expires", "How long the token can be used, e.g. 1h (the collector allows up to Collector:Enrollment:MaxTokenLifetime)", MaxLifetime);
        expires.Required = true;
        var labels = CliOptionFactory.Labels("--labels", "Labels the collector attaches to the agent that enrols with it, e.g. env=prod,role=web");
        var description = new Option<string?>("--description") { Description = "What the token is for, shown in `opsctl tokens list`", HelpName = "TEXT" };
        var command = new Command("create", "Create a single-use enrolment token; prints the token on stdout (and how to use it on stderr)");
        command.Options.Add(expires);
        command.Options.Add(labels);
        command.Options.Add(description);
        host.SetAction(command, async context =>
        {
            var request = new CreateEnrollmentTokenRequest
            {
                TtlSeconds = (long)context.GetValue(expires)!.Value.TotalSeconds,
                Description = context.GetValue(description) ?? "",
            };
            request.Labels.Add(context.GetValue(labels) ?? []);
            var created = await context.Access.CreateEnrollmentTokenAsync(request, cancellationToken: context.CancellationToken);
            var details = EnrollmentTokenJson.From(created.Token, context.Time.GetUtcNow());
            if (context.Output.Format == OutputFormat.Json)
            {
                context.Output.WriteJson(new CreatedEnrollmentTokenJson(created.Secret, created.CaFingerprint, details), TokensJsonContext.Default.CreatedEnrollmentTokenJson);
            }
            else
            {
                // The token alone on stdout, so that TOKEN=$(opsctl tokens create --expires 1h) works; the rest is for people.
                context.Output.WriteLine(created.Secret);
                context.Output.Error.WriteLine(
                    $"Enrolment token {created.Token.TokenId}: single use, valid until {details.Expires}" +
                    (created.Token.Labels.Count > 0 ? $", labels {LabelFormatter.Format(created.Token.Labels)}" : "") + ".");
                context.Output.Error.WriteLine(
                    "On the new host, give it to the agent as Agent:Enrollment:Token in /etc/opsagent/agent.json, as OPSAGENT_Agent__Enrollment__Token, " +
                    "or in a file named by Agent:Enrollment:TokenFile, with Agent:CollectorUrl set to this collector's https:// gateway.");
                context.Output.Error.WriteLine(
                    $"The token carries the collector's CA fingerprint ({created.CaFingerprint}): the agent sends it only to the collector holding that CA.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateList(CliHost host)
    {
        var all = new Option<bool>("--all") { Description = "Also used, expired and revoked tokens" };
        var command = new Command("list", "List enrolment tokens (active ones unless --all)");
        command.Options.Add(all);
        host.SetAction(command, async context =>
        {
            var response = await context.Access.ListEnrollmentTokensAsync(
                new ListEnrollmentTokensRequest { IncludeInactive = context.GetValue(all) }, cancellationToken: context.CancellationToken);
            var now = context.Time.GetUtcNow();
            if (context.Output.Format == OutputFormat.Json)
            {
                context.Output.WriteJson(new EnrollmentTokenListJson([.. response.Tokens.Select(t => EnrollmentTokenJson.From(t, now))]), TokensJsonContext.Default.EnrollmentTokenListJson);
                return ExitCodes.Ok;
            }

            if (response.Tokens.Count == 0)
            {
                context.Output.WriteLine(context.GetValue(all) ? "No enrolment token was ever created." : "No active enrolment token. Create one: opsctl tokens create --expires 1h");
                return ExitCodes.Ok;
            }

            var table = CommandOutput.CreateTable("Token ID", "State", "Expires", "Labels", "Used by", "Created by", "Description");
            foreach (var token in response.Tokens)
            {
                CommandOutput.AddRow(
                    table,
                    token.TokenId,
                    EnrollmentTokenJson.StateOf(token, now),
                    TimeFormatter.Ago(token.ExpiresUnixMs, now),
                    LabelFormatter.Format(token.Labels),
                    token.UsedUnixMs > 0 ? $"{token.UsedByAgentId} ({TimeFormatter.Ago(token.UsedUnixMs, now)})" : "-",
                    token.CreatedBy,
                    token.Description.Length > 0 ? token.Description : "-");
            }

            context.Output.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateRevoke(CliHost host)
    {
        var id = new Argument<string>("id") { Description = "The token id (first column of opsctl tokens list)", HelpName = "ID" };
        var command = new Command("revoke", "Revoke an unused enrolment token");
        command.Arguments.Add(id);
        host.SetAction(command, async context =>
        {
            var token = await context.Access.RevokeEnrollmentTokenAsync(
                new RevokeEnrollmentTokenRequest { TokenId = context.GetValue(id)! }, cancellationToken: context.CancellationToken);
            var details = EnrollmentTokenJson.From(token, context.Time.GetUtcNow());
            if (context.Output.Format == OutputFormat.Json)
            {
                context.Output.WriteJson(details, TokensJsonContext.Default.EnrollmentTokenJson);
            }
            else if (token.UsedUnixMs > 0)
            {
                context.Output.WriteLine($"Enrolment token {token.TokenId} was already used by agent {token.UsedByAgentId}; to cut that agent off: opsctl agents revoke {token.UsedByAgentId}");
            }
            else
            {
                context.Output.WriteLine($"Enrolment token {token.TokenId} is revoked.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
