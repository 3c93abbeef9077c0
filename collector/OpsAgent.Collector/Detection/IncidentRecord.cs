namespace OpsAgent.Collector.Detection;

/// <summary>Anomalies of one host that overlap in time, as stored and as every reader sees them.</summary>
/// <param name="IncidentId">The store's id.</param>
/// <param name="AgentId">The host's agent; incidents are grouped per agent.</param>
/// <param name="HostLabels">The agent's static labels (env, role, ...), which playbooks match on.</param>
/// <param name="Severity">The worst severity any of its anomalies reached.</param>
/// <param name="OpenedUnixMs">When its first anomaly's evidence began.</param>
/// <param name="UpdatedUnixMs">When it last changed.</param>
/// <param name="ResolvedUnixMs">When it ended (0 while open).</param>
/// <param name="Resolution">Why it ended: the resolution of the anomaly that ended last, or <see cref="Resolution.Manual"/>.</param>
/// <param name="Title">One line for people, from its first anomaly.</param>
/// <param name="AnomalyCount">Anomalies that joined it.</param>
/// <param name="OpenAnomalies">Of those, how many are still open.</param>
/// <param name="Metrics">Distinct metric names of its anomalies, in the order they joined.</param>
/// <param name="ResolvedBy">Who resolved it on request ("user:alice", "playbook:disk-cleanup"); empty otherwise.</param>
/// <param name="Note">The last word on it from whoever acted (what a playbook did, why it escalated); empty when none.</param>
internal sealed record IncidentRecord(
    long IncidentId,
    string AgentId,
    string Hostname,
    IReadOnlyDictionary<string, string> HostLabels,
    AlertSeverity Severity,
    bool Open,
    long OpenedUnixMs,
    long UpdatedUnixMs,
    long ResolvedUnixMs,
    Resolution Resolution,
    string Title,
    int AnomalyCount,
    int OpenAnomalies,
    IReadOnlyList<string> Metrics,
    string ResolvedBy = "",
    string Note = "");
