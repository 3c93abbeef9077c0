namespace OpsAgent.Cli.Audit;

internal sealed record AuditListJson(IReadOnlyList<AuditEventJson> Events, bool Truncated);
