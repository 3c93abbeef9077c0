namespace OpsAgent.Collector.Storage;

/// <summary>Identity of a stored series: agent, metric name and its own labels as a flat key, value, key, ... array.</summary>
internal readonly record struct SeriesKey(long AgentKey, string Name, string[] Labels);
