using OpsAgent.Cli.Output;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Playbooks;

/// <summary>One run of a playbook on one host for one incident.</summary>
internal sealed record PlaybookRunJson(
    string RunId,
    string AgentId,
    string Hostname,
    string IncidentId,
    string State,
    uint Step,
    string Action,
    string? CommandId,
    string? Started,
    string? Updated,
    string? Ended,
    string? Deadline,
    string? Outcome,
    string? Reason,
    string Trigger)
{
    public static PlaybookRunJson From(PlaybookRunInfo r) => new(
        r.RunId, r.AgentId, r.Hostname, r.IncidentId, r.State, r.Step, r.Action, NullIfEmpty(r.CommandId),
        TimeFormatter.ToRfc3339(r.StartedUnixMs), TimeFormatter.ToRfc3339(r.UpdatedUnixMs), TimeFormatter.ToRfc3339(r.EndedUnixMs),
        TimeFormatter.ToRfc3339(r.DeadlineUnixMs), NullIfEmpty(r.Outcome), NullIfEmpty(r.Reason), r.Trigger);

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
