using OpsAgent.Collector.Access;
using OpsAgent.Collector.Playbooks.Engine;

namespace OpsAgent.Collector.Playbooks.Integration;

/// <summary>
/// Writes what playbooks do to the audit log, next to what people do through the admin API: a run started (on which
/// host, for which incident), a trigger skipped by a guard (which guard, and when the playbook may act again), a circuit
/// breaker opened, and how each run ended with every step it took. The actor is <c>playbook:NAME</c>; commands have
/// their own entries (<c>command.finished</c>) from the dispatcher.
/// </summary>
internal sealed class PlaybookAuditHandler(AuditLog audit, TimeProvider time) : IPlaybookDecisionHandler
{
    public async ValueTask HandleAsync(IReadOnlyList<PlaybookDecision> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        foreach (PlaybookDecision decision in decisions)
        {
            AuditEntry? entry = decision switch
            {
                PlaybookDecision.RunStarted started => Entry(started.Run.PlaybookName, "playbook.run_started", AuditEntry.Ok,
                    $"run {started.Run.RunId} on {started.Run.Host} ({started.Run.AgentId}) for incident {started.Run.IncidentId}: {started.Run.Trigger.Summary}"),
                PlaybookDecision.SkipTrigger skip => Entry(skip.Playbook, "playbook.skipped", SkipReasons.Name(skip.Reason), skip.Message),
                PlaybookDecision.CircuitOpened opened => Entry(opened.Target.Playbook, "playbook.circuit_opened", "open", opened.Message),
                PlaybookDecision.RunEnded ended => Entry(ended.Run.PlaybookName, "playbook.run_ended", RunOutcomes.Name(ended.Run.Outcome ?? RunOutcome.Cancelled),
                    $"run {ended.Run.RunId} on {ended.Run.Host} for incident {ended.Run.IncidentId}: {ended.Run.Reason} Steps: "
                    + string.Join("; ", ended.Run.Attempts.Select(a => $"{a.StepNumber} {a.Action} [{a.CommandId ?? "not sent"}]: {a.Outcome}, {a.Detail}"))),
                _ => null,
            };
            if (entry is not null)
            {
                // Playbook activity is the collector's own, like an authenticated admin's: never dropped (waits for room).
                await audit.RecordAsync(entry, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private AuditEntry Entry(string playbook, string method, string outcome, string detail) =>
        new(time.GetUtcNow().ToUnixTimeMilliseconds(), "playbook", playbook, "playbook:" + playbook, "", method, outcome, detail, "");
}
