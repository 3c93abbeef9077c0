namespace OpsAgent.Collector.Detection;

/// <summary>What a series' detector tells the incident tracker about one of its anomalies.</summary>
internal enum AnomalySignalKind
{
    Opened,
    Updated,
    Resolved,
}
