using System.Globalization;
using OpsAgent.Collector.Detection;
using OpsAgent.Collector.Playbooks.Engine;

namespace OpsAgent.Collector.Playbooks.Integration;

/// <summary>
/// Carries out the engine's verdicts on incidents: a fixed incident is resolved as resolved by <c>playbook:NAME</c>
/// with the run's account as its note; an escalated one gets that account as its note and is raised again as
/// <c>incident_escalated</c>, so that a playbook written for escalations (page someone, collect diagnostics) can act.
/// </summary>
internal sealed partial class IncidentDecisionHandler(IncidentTracker tracker, PlaybookInbox inbox, ILogger<IncidentDecisionHandler> logger) : IPlaybookDecisionHandler
{
    public async ValueTask HandleAsync(IReadOnlyList<PlaybookDecision> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        foreach (PlaybookDecision decision in decisions)
        {
            switch (decision)
            {
                case PlaybookDecision.ResolveIncident resolve when IncidentId(resolve.Run) is { } id:
                    IncidentRecord? resolved = await tracker.ResolveIncidentAsync(id, resolve.Run.Playbook.IssuedBy, resolve.Message, cancellationToken).ConfigureAwait(false);
                    if (resolved is null)
                    {
                        // The incident closed by itself in the meantime (its merge gap ran out): say what fixed it all the same.
                        await tracker.AnnotateIncidentAsync(id, resolve.Message, cancellationToken).ConfigureAwait(false);
                    }

                    LogResolved(logger, id, resolve.Run.PlaybookName, resolve.Run.Host);
                    break;
                case PlaybookDecision.EscalateIncident escalate when IncidentId(escalate.Run) is { } id:
                    await tracker.AnnotateIncidentAsync(id, escalate.Message, cancellationToken).ConfigureAwait(false);
                    PlaybookTrigger trigger = escalate.Run.Trigger with { Kind = TriggerKind.IncidentEscalated, Severity = TriggerSeverity.Critical };
                    if (!inbox.TryPost(new PlaybookInput.TriggerRaised(trigger)))
                    {
                        LogEscalationNotRaised(logger, id);
                    }

                    break;
            }
        }
    }

    private static long? IncidentId(PlaybookRun run) =>
        long.TryParse(run.IncidentId, NumberStyles.None, CultureInfo.InvariantCulture, out long id) ? id : null;

    [LoggerMessage(EventId = 6151, Level = LogLevel.Information, Message = "Incident {IncidentId} on {Host} resolved by playbook {Playbook}.")]
    private static partial void LogResolved(ILogger logger, long incidentId, string playbook, string host);

    [LoggerMessage(EventId = 6152, Level = LogLevel.Warning, Message = "The escalation of incident {IncidentId} was not raised as a trigger (the playbook queue is full); the escalation notification is still sent.")]
    private static partial void LogEscalationNotRaised(ILogger logger, long incidentId);
}
