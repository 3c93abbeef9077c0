namespace OpsAgent.Collector.Notifications;

/// <summary>
/// Something people should hear about. Incident events come from detection's incident stream (opened, resolved) and
/// from the playbook engine (escalated); approval requests from the playbook engine.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="IncidentId">The incident concerned (every kind has one; an approval's is the incident its run serves).</param>
/// <param name="AgentId">The agent of the host.</param>
/// <param name="Host">Host name.</param>
/// <param name="Severity">info, warning or critical.</param>
/// <param name="Summary">One line: "/var 97% full on web-1".</param>
/// <param name="Description">Details: what was tried, what to do.</param>
/// <param name="StartsAt">When the incident began (for an approval request: when it was requested).</param>
/// <param name="EndsAt">When it ended (resolved), or when an approval request lapses; null while open.</param>
/// <param name="Labels">The signal's and host's labels (env, service, mountpoint, ...).</param>
/// <param name="Metric">The metric behind it, if any.</param>
/// <param name="Playbook">The playbook involved, if any.</param>
/// <param name="CommandId">The command awaiting approval (approval requests).</param>
/// <param name="Action">What that command would do, rendered ("restart_service nginx").</param>
internal sealed record NotificationEvent(
    NotificationEventKind Kind,
    string IncidentId,
    string AgentId,
    string Host,
    string Severity,
    string Summary,
    string Description,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    IReadOnlyDictionary<string, string> Labels,
    string? Metric = null,
    string? Playbook = null,
    string? CommandId = null,
    string? Action = null)
{
    /// <summary>Firing for everything but a resolved incident.</summary>
    public bool IsResolved => Kind == NotificationEventKind.IncidentResolved;
}
