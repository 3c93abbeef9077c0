namespace OpsAgent.Cli.Incidents;

/// <summary>`opsctl incidents -o json`: newest first.</summary>
internal sealed record IncidentListJson(IReadOnlyList<IncidentJson> Incidents, bool Truncated);
