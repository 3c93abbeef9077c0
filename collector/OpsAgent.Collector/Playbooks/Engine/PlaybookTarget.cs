namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>A playbook on one host (agent): the unit of cooldown and of the circuit breaker.</summary>
internal readonly record struct PlaybookTarget(string Playbook, string AgentId);
