namespace OpsAgent.Cli.Agents;

/// <summary>`opsctl agents revoke ID -o json`.</summary>
internal sealed record AgentRevokedJson(string AgentId, uint CertificatesRevoked, bool Disconnected, string? Revoked);
