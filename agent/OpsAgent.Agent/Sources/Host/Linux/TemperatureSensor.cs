namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>A sysfs file holding one temperature in millidegrees Celsius, and the labels of its series.</summary>
internal sealed record TemperatureSensor(string InputPath, MetricLabel[] Labels);
