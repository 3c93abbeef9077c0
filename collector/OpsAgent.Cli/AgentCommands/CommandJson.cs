using OpsAgent.Cli.Output;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.AgentCommands;

/// <summary>One command in JSON output (stable JSON contract: add fields, never rename).</summary>
internal sealed record CommandJson(
    string Id,
    string AgentId,
    string Hostname,
    string State,
    string? StateReason,
    string Action,
    string IssuedBy,
    string Reason,
    bool DryRun,
    string? Playbook,
    string? RunId,
    string? IncidentId,
    string? Created,
    string? Updated,
    string? Expires,
    string? ApprovalDeadline,
    string? DecidedBy,
    string? DecisionComment,
    string? Decided,
    string? FirstSent,
    string? LastSent,
    uint SendCount,
    uint TimeoutSeconds,
    CommandResultJson? Result)
{
    public static CommandJson From(CommandInfo c) => new(
        c.CommandId,
        c.AgentId,
        c.Hostname,
        CommandNames.State(c.State),
        NullIfEmpty(c.StateReason),
        c.Action,
        c.IssuedBy,
        c.Reason,
        c.DryRun,
        NullIfEmpty(c.Playbook),
        NullIfEmpty(c.RunId),
        NullIfEmpty(c.IncidentId),
        TimeFormatter.ToRfc3339(c.CreatedUnixMs),
        TimeFormatter.ToRfc3339(c.UpdatedUnixMs),
        TimeFormatter.ToRfc3339(c.ExpiresUnixMs),
        TimeFormatter.ToRfc3339(c.ApprovalDeadlineUnixMs),
        NullIfEmpty(c.DecidedBy),
        NullIfEmpty(c.DecisionComment),
        TimeFormatter.ToRfc3339(c.DecidedUnixMs),
        TimeFormatter.ToRfc3339(c.FirstSentUnixMs),
        TimeFormatter.ToRfc3339(c.LastSentUnixMs),
        c.SendCount,
        c.TimeoutSeconds,
        c.Result is null ? null : CommandResultJson.From(c.Result, c.ResultReceivedUnixMs));

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
