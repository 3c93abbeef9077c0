namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>What raised a trigger. The YAML names are in <see cref="TriggerKinds"/>.</summary>
internal enum TriggerKind
{
    /// <summary><c>anomaly_raised</c>: one series' anomaly was raised.</summary>
    AnomalyRaised,

    /// <summary><c>incident_opened</c>: a new incident (anomalies of one host grouped in time) opened.</summary>
    IncidentOpened,

    /// <summary><c>incident_escalated</c>: an incident was escalated (a playbook could not fix it, or its severity rose).</summary>
    IncidentEscalated,

    /// <summary><c>exhaustion_forecast</c>: a resource (disk, inodes, memory) is forecast to run out.</summary>
    ExhaustionForecast,
}
