using OpsAgent.Protocol;

namespace OpsAgent.Agent.Sources;

/// <summary>One sample produced by a source during a collection cycle.</summary>
internal readonly record struct MetricSample(string Name, MetricKind Kind, string Unit, double Value, MetricLabel[] Labels);
