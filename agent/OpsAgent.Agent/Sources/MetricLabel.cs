namespace OpsAgent.Agent.Sources;

/// <summary>One label of a metric sample.</summary>
internal readonly record struct MetricLabel(string Key, string Value);
