using OpsAgent.Protocol;

namespace OpsAgent.Cli.Playbooks;

/// <summary>A loaded playbook with its runs, breakers and skips (stable JSON contract: add fields, never rename).</summary>
internal sealed record PlaybookJson(
    string Name,
    string Description,
    bool Enabled,
    string File,
    IReadOnlyList<string> Kinds,
    IReadOnlyList<string> Actions,
    bool ApprovalRequired,
    bool DryRun,
    IReadOnlyList<PlaybookRunJson> ActiveRuns,
    PlaybookRunJson? LastRun,
    IReadOnlyList<CircuitBreakerJson> Breakers,
    ulong RunsStarted,
    SortedDictionary<string, ulong> Skips)
{
    public static PlaybookJson From(PlaybookInfo p) => new(
        p.Name, p.Description, p.Enabled, p.File, [.. p.Kinds], [.. p.Actions], p.ApprovalRequired, p.DryRun,
        [.. p.ActiveRuns.Select(PlaybookRunJson.From)], p.LastRun is null ? null : PlaybookRunJson.From(p.LastRun),
        [.. p.Breakers.Select(CircuitBreakerJson.From)], p.RunsStarted, new SortedDictionary<string, ulong>(p.Skips, StringComparer.Ordinal));
}
