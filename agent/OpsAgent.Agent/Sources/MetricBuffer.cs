using OpsAgent.Protocol;

namespace OpsAgent.Agent.Sources;

/// <summary>
/// Collects the samples of one collection cycle from every source. All samples share the cycle's timestamp.
/// </summary>
internal sealed class MetricBuffer
{
    private readonly List<MetricSample> _samples = new(capacity: 512);
    private readonly List<SourceError> _errors = [];

    public MetricBuffer(long timestampUnixMs)
    {
        TimestampUnixMs = timestampUnixMs;
    }

    /// <summary>The time, in unix milliseconds, that every sample of this cycle is stamped with.</summary>
    public long TimestampUnixMs { get; }

    public IReadOnlyList<MetricSample> Samples => _samples;

    /// <summary>Problems that sources met in this cycle (a file they could not read, a line they could not parse).</summary>
    public IReadOnlyList<SourceError> Errors => _errors;

    /// <summary>Adds a value at a point in time (memory used, utilisation, temperature).</summary>
    public void Gauge(string name, string unit, double value, params ReadOnlySpan<MetricLabel> labels) =>
        Add(name, MetricKind.Gauge, unit, value, labels);

    /// <summary>Adds a cumulative, monotonic value (bytes read since boot, CPU seconds).</summary>
    public void Counter(string name, string unit, double value, params ReadOnlySpan<MetricLabel> labels) =>
        Add(name, MetricKind.Counter, unit, value, labels);

    /// <summary>Records that part of a source could not be read this cycle; the rest of the cycle goes on.</summary>
    public void ReportError(string source, string what, Exception? exception = null) =>
        _errors.Add(new SourceError(source, what, exception));

    private void Add(string name, MetricKind kind, string unit, double value, ReadOnlySpan<MetricLabel> labels)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            // A division by a zero interval or an unreadable field; a gap is more honest than a fake value.
            return;
        }

        MetricLabel[] copy = labels.IsEmpty ? [] : labels.ToArray();
        if (copy.Length > 1)
        {
            Array.Sort(copy, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        }

        _samples.Add(new MetricSample(name, kind, unit, value, copy));
    }
}

/// <summary>A problem a source met while collecting.</summary>
internal sealed record SourceError(string Source, string What, Exception? Exception);
