using OpsAgent.Agent.Sources;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Sources.Host.TestSupport;

/// <summary>Finds samples in a <see cref="MetricBuffer"/> by name and exact label set.</summary>
internal static class Samples
{
    /// <summary>The samples of <paramref name="name"/> whose labels are exactly <paramref name="labels"/> ("key=value").</summary>
    public static List<MetricSample> Find(this MetricBuffer buffer, string name, params string[] labels)
    {
        var wanted = labels.Select(Parse).OrderBy(l => l.Key, StringComparer.Ordinal).ToArray();
        return buffer.Samples
            .Where(s => s.Name == name && s.Labels.SequenceEqual(wanted))
            .ToList();
    }

    /// <summary>The value of the one sample of <paramref name="name"/> with exactly <paramref name="labels"/>.</summary>
    public static double Value(this MetricBuffer buffer, string name, params string[] labels)
    {
        List<MetricSample> found = buffer.Find(name, labels);
        Assert.True(found.Count == 1, $"expected one {name}{{{string.Join(',', labels)}}}, found {found.Count}");
        return found[0].Value;
    }

    public static MetricKind Kind(this MetricBuffer buffer, string name, params string[] labels) =>
        buffer.Find(name, labels).Single().Kind;

    /// <summary>All samples of <paramref name="name"/>, whatever their labels.</summary>
    public static List<MetricSample> All(this MetricBuffer buffer, string name) =>
        buffer.Samples.Where(s => s.Name == name).ToList();

    /// <summary>The values of label <paramref name="key"/> over all samples of <paramref name="name"/>, distinct and sorted.</summary>
    public static List<string> LabelValues(this MetricBuffer buffer, string name, string key) =>
        buffer.All(name)
            .SelectMany(s => s.Labels)
            .Where(l => l.Key == key)
            .Select(l => l.Value)
            .Distinct()
            .OrderBy(v => v, StringComparer.Ordinal)
            .ToList();

    /// <summary>Fails if two samples of the cycle have the same name and label set.</summary>
    public static void AssertUniqueSeries(this MetricBuffer buffer)
    {
        var duplicates = buffer.Samples
            .GroupBy(s => s.Name + "{" + string.Join(",", s.Labels.Select(l => l.Key + "=" + l.Value)) + "}")
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToList();
        Assert.True(duplicates.Count == 0, "duplicate series: " + string.Join("; ", duplicates));
    }

    private static MetricLabel Parse(string label)
    {
        int eq = label.IndexOf('=', StringComparison.Ordinal);
        return new MetricLabel(label[..eq], label[(eq + 1)..]);
    }
}
