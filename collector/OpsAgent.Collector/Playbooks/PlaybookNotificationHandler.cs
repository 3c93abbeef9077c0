using OpsAgent.Collector.Notifications;
using OpsAgent.Collector.Playbooks.Engine;

namespace OpsAgent.Collector.Playbooks;

/// <summary>
/// Turns the engine's escalations and approval requests into notifications. Incident opened and resolved
/// notifications come from detection's incident stream instead (a playbook's <c>ResolveIncident</c> closes the
/// incident there, which notifies once), so nothing is announced twice.
/// </summary>
/// <remarks>Takes every registered publisher, none when notifications are not configured, so playbooks work without them.</remarks>
internal sealed class PlaybookNotificationHandler(IEnumerable<INotificationPublisher> publishers) : IPlaybookDecisionHandler
{
    private readonly INotificationPublisher[] _publishers = [.. publishers];

    public ValueTask HandleAsync(IReadOnlyList<PlaybookDecision> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        foreach (PlaybookDecision decision in decisions)
        {
            NotificationEvent? notification = decision switch
            {
                // A redelivered request was announced before the restart.
                PlaybookDecision.RequestApproval { Redelivery: false } request => ForApproval(request),
                PlaybookDecision.EscalateIncident escalate => ForRun(escalate.Run, NotificationEventKind.IncidentEscalated, SeverityScale.Name(SeverityScale.ForIncident([], escalated: true)), escalate.Message, null),
                _ => null,
            };
            if (notification is not null)
            {
                foreach (INotificationPublisher publisher in _publishers)
                {
                    publisher.Publish(notification);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private static NotificationEvent ForApproval(PlaybookDecision.RequestApproval request)
    {
        PlaybookRun run = request.Run;
        string description = $"Playbook {run.PlaybookName} wants to run step {run.CurrentStep.Number} of {run.Playbook.Steps.Count} ({run.CurrentAction}) on {run.Host} "
            + $"for incident {run.IncidentId}. Approve with: opsctl commands approve {request.Command.CommandId} (before {AlertmanagerPayload.Rfc3339(request.Deadline)}, "
            + "after which the run is escalated).";
        return ForRun(run, NotificationEventKind.ApprovalRequested, SeverityScale.Name(run.Trigger.Severity), description, request) with
        {
            StartsAt = run.UpdatedAt,
            EndsAt = request.Deadline,
        };
    }

    private static NotificationEvent ForRun(PlaybookRun run, NotificationEventKind kind, string severity, string description, PlaybookDecision.RequestApproval? request) =>
        new(
            kind,
            run.IncidentId,
            run.AgentId,
            run.Host,
            severity,
            run.Trigger.Summary,
            description,
            run.Trigger.RaisedAt,
            null,
            run.Trigger.Labels,
            run.Trigger.Metric,
            run.PlaybookName,
            request?.Command.CommandId,
            request is null ? null : run.CurrentAction);
}
