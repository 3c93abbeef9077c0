namespace OpsAgent.Collector.Enrollment;

/// <summary>An agent cut off with <c>opsctl agents revoke</c>: when, why and by whom.</summary>
internal sealed record AgentRevocation(string AgentId, long RevokedUnixMs, string Reason, string RevokedBy);
