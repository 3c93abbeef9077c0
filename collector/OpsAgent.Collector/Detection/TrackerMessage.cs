namespace OpsAgent.Collector.Detection;

/// <summary>Work for the incident tracker: an anomaly signal, a tick, or a request to resolve an incident.</summary>
internal abstract class TrackerMessage;
