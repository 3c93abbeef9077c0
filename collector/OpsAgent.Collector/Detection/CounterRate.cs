namespace OpsAgent.Collector.Detection;

/// <summary>
/// Turns a cumulative counter into a per-second rate, sample by sample. A value lower than the previous one is a
/// reset (the source restarted): as Prometheus does, the new value is taken as the increase since the reset.
/// </summary>
internal struct CounterRate
{
    public bool HasPrevious;
    public long PreviousMs;
    public double PreviousValue;

    /// <summary>Returns false for the first sample (no rate yet) and for a sample not later than the previous one.</summary>
    public bool TryNext(long timestampMs, double value, out double ratePerSecond)
    {
        ratePerSecond = 0;
        if (!double.IsFinite(value))
        {
            return false;
        }

        if (!HasPrevious)
        {
            HasPrevious = true;
            PreviousMs = timestampMs;
            PreviousValue = value;
            return false;
        }

        if (timestampMs <= PreviousMs)
        {
            return false;
        }

        double increase = value >= PreviousValue ? value - PreviousValue : value;
        ratePerSecond = increase * 1000.0 / (timestampMs - PreviousMs);
        PreviousMs = timestampMs;
        PreviousValue = value;
        return true;
    }
}
