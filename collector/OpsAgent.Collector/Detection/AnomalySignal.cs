namespace OpsAgent.Collector.Detection;

/// <summary>
/// From a detection worker to the incident tracker: an anomaly of one series opened, changed or ended. The record has
/// no ids yet; the tracker knows at most one open anomaly per series and kind, and gives them ids when it stores them.
/// </summary>
internal sealed record AnomalySignal(AnomalySignalKind Kind, AnomalyRecord Anomaly);
