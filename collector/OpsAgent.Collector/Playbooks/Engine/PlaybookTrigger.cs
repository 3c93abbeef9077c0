namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>
/// Something detection raised that playbooks may act on. The engine runs a playbook at most once per
/// (playbook, agent, <see cref="IncidentId"/>), so further triggers of the same incident join the run instead of
/// starting another.
/// </summary>
/// <param name="Kind">What raised it.</param>
/// <param name="IncidentId">The incident's id; for an anomaly or forecast that is not part of an incident, its own stable id.</param>
/// <param name="AgentId">The agent the signal came from and that commands go to.</param>
/// <param name="Host">The agent's host name, for messages and the <c>host</c> match.</param>
/// <param name="Labels">The series' labels merged with the agent's labels (series labels win).</param>
/// <param name="Metric">The metric whose signal raised it (e.g. <c>system.filesystem.utilization</c>), if any.</param>
/// <param name="LogTemplate">The log template that raised it (log mining), if any.</param>
/// <param name="Severity">Graded with <see cref="SeverityScale"/>.</param>
/// <param name="RaisedAt">When detection raised it.</param>
/// <param name="Summary">One line for people: "/var 97% full, full in ~2 h".</param>
internal sealed record PlaybookTrigger(
    TriggerKind Kind,
    string IncidentId,
    string AgentId,
    string Host,
    IReadOnlyDictionary<string, string> Labels,
    string? Metric,
    string? LogTemplate,
    TriggerSeverity Severity,
    DateTimeOffset RaisedAt,
    string Summary);
