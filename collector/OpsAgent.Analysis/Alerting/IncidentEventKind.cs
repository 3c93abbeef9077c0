namespace OpsAgent.Analysis.Alerting;

/// <summary>What happened to an incident.</summary>
public enum IncidentEventKind
{
    /// <summary>A new incident began: the one moment to notify.</summary>
    Opened,

    /// <summary>Another series' anomaly joined an open incident (no new notification).</summary>
    AnomalyJoined,

    /// <summary>Every anomaly of the incident cleared and stayed clear for the grouping gap.</summary>
    Closed,
}
