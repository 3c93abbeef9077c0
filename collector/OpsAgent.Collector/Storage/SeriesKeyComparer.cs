using System.Runtime.InteropServices;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Storage;

/// <summary>
/// Compares stored keys with each other and with incoming series, so the writer can use
/// <c>Dictionary.GetAlternateLookup&lt;SeriesLookup&gt;()</c> and allocate a key only when a series is new.
/// </summary>
internal sealed class SeriesKeyComparer : IEqualityComparer<SeriesKey>, IAlternateEqualityComparer<SeriesLookup, SeriesKey>
{
    public static SeriesKeyComparer Instance { get; } = new();

    public bool Equals(SeriesKey x, SeriesKey y)
    {
        if (x.AgentKey != y.AgentKey || !string.Equals(x.Name, y.Name, StringComparison.Ordinal) || x.Labels.Length != y.Labels.Length)
        {
            return false;
        }

        for (int i = 0; i < x.Labels.Length; i++)
        {
            if (!string.Equals(x.Labels[i], y.Labels[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(SeriesKey obj)
    {
        var hash = new HashCode();
        hash.Add(obj.AgentKey);
        Add(ref hash, obj.Name);
        foreach (string part in obj.Labels)
        {
            Add(ref hash, part);
        }

        return hash.ToHashCode();
    }

    public bool Equals(SeriesLookup alternate, SeriesKey other)
    {
        MetricSeries series = alternate.Series;
        if (alternate.AgentKey != other.AgentKey || !string.Equals(series.Name, other.Name, StringComparison.Ordinal) || series.Labels.Count * 2 != other.Labels.Length)
        {
            return false;
        }

        for (int i = 0; i < series.Labels.Count; i++)
        {
            Label label = series.Labels[i];
            if (!string.Equals(label.Key, other.Labels[2 * i], StringComparison.Ordinal) || !string.Equals(label.Value, other.Labels[(2 * i) + 1], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(SeriesLookup alternate)
    {
        var hash = new HashCode();
        hash.Add(alternate.AgentKey);
        Add(ref hash, alternate.Series.Name);
        foreach (Label label in alternate.Series.Labels)
        {
            Add(ref hash, label.Key);
            Add(ref hash, label.Value);
        }

        return hash.ToHashCode();
    }

    public SeriesKey Create(SeriesLookup alternate)
    {
        MetricSeries series = alternate.Series;
        string[] labels = new string[series.Labels.Count * 2];
        for (int i = 0; i < series.Labels.Count; i++)
        {
            labels[2 * i] = series.Labels[i].Key;
            labels[(2 * i) + 1] = series.Labels[i].Value;
        }

        return new SeriesKey(alternate.AgentKey, series.Name, labels);
    }

    private static void Add(ref HashCode hash, string value)
    {
        hash.Add(value.Length);
        hash.AddBytes(MemoryMarshal.AsBytes(value.AsSpan()));
    }
}
