namespace OpsAgent.Agent.Sources.Synthetic;

/// <summary>Adds one sample of every synthetic series to each collection cycle.</summary>
internal sealed class SyntheticMetricSource(SyntheticOptions options) : IMetricSource
{
    private readonly SyntheticSignal _signal = new(options);
    private readonly string[] _indexes = Enumerable.Range(0, options.Series).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    public string Name => "synthetic";

    public void Collect(MetricBuffer buffer)
    {
        // Conditions on real state are checked once per cycle, not once per series.
        Dictionary<SyntheticFault, bool>? holds = null;
        foreach (SyntheticFault fault in options.Faults)
        {
            if (fault.IsConditional)
            {
                holds ??= [];
                holds[fault] = SyntheticConditions.Hold(fault);
            }
        }

        Func<SyntheticFault, bool>? conditionHolds = holds is null ? null : fault => holds.GetValueOrDefault(fault);
        for (int series = 0; series < _indexes.Length; series++)
        {
            buffer.Gauge(options.MetricName, "1", _signal.ValueAt(series, buffer.TimestampUnixMs, conditionHolds), new MetricLabel("series", _indexes[series]));
        }
    }
}
