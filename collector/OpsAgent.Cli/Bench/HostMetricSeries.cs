namespace OpsAgent.Cli.Bench;

/// <summary>One simulated series: its identity and the state its next value grows from.</summary>
internal sealed class HostMetricSeries(HostMetricKind kind, string name, string unit, (string Key, string Value)[] labels, double level)
{
    public HostMetricKind Kind { get; } = kind;

    public string Name { get; } = name;

    public string Unit { get; } = unit;

    public (string Key, string Value)[] Labels { get; } = labels;

    /// <summary>The current value: a level, a counter or a constant, by kind.</summary>
    public double Level { get; set; } = level;
}
