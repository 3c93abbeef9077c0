namespace OpsAgent.Collector.Notifications;

/// <summary>What a notification is about; receivers subscribe to kinds (<c>Events</c>).</summary>
internal enum NotificationEventKind
{
    /// <summary>A new incident opened.</summary>
    IncidentOpened,

    /// <summary>An incident was escalated: a playbook could not fix it, or nobody approved its command in time.</summary>
    IncidentEscalated,

    /// <summary>An incident was resolved (by a playbook, or because its signal recovered).</summary>
    IncidentResolved,

    /// <summary>A playbook command waits for an operator: <c>opsctl commands approve ID</c>.</summary>
    ApprovalRequested,
}
