namespace OpsAgent.Cli.Anomalies;

/// <summary>`opsctl anomalies -o json`: newest first.</summary>
internal sealed record AnomalyListJson(IReadOnlyList<AnomalyJson> Anomalies, bool Truncated);
