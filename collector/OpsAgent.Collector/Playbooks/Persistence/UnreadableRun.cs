namespace OpsAgent.Collector.Playbooks.Persistence;

/// <summary>A stored run that could not be decoded (damaged row, or a definition a newer parser refuses).</summary>
internal sealed record UnreadableRun(string RunId, string Playbook, string AgentId, string IncidentId, bool WasActive, string Problem);
