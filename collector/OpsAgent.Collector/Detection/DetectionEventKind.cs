namespace OpsAgent.Collector.Detection;

/// <summary>
/// What happened. Exactly one <see cref="IncidentOpened"/> is published per incident: it is the moment to notify
/// (with <see cref="IncidentEscalated"/> and <see cref="IncidentResolved"/>); the other kinds are for live views.
/// </summary>
internal enum DetectionEventKind
{
    AnomalyOpened = 1,

    /// <summary>An open anomaly became critical.</summary>
    AnomalyEscalated = 2,

    AnomalyResolved = 3,

    /// <summary>A new incident: its first anomaly was raised.</summary>
    IncidentOpened = 4,

    /// <summary>An anomaly joined or left an open incident (no new notification).</summary>
    IncidentUpdated = 5,

    /// <summary>An open incident became critical.</summary>
    IncidentEscalated = 6,

    /// <summary>Every anomaly of the incident ended and none came back within the merge gap, or it was resolved on request.</summary>
    IncidentResolved = 7,
}
