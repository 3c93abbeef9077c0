using OpsAgent.Cli.Output;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Metrics;

/// <summary>One series in `opsctl metrics list -o json` (stable JSON contract: add fields, never rename).</summary>
/// <remarks>Labels are all the series' labels as the collector reports them, host and agent_id included.</remarks>
internal sealed record SeriesJson(
    string Name,
    string Kind,
    string Unit,
    string Hostname,
    string AgentId,
    SortedDictionary<string, string> Labels,
    string? FirstSample,
    string? LastSample)
{
    public static SeriesJson From(SeriesInfo series) => new(
        series.Name,
        MetricNames.Kind(series.Kind),
        series.Unit,
        series.Hostname,
        series.AgentId,
        ToDictionary(series.Labels),
        TimeFormatter.ToRfc3339(series.FirstSampleUnixMs),
        TimeFormatter.ToRfc3339(series.LastSampleUnixMs));

    public static SortedDictionary<string, string> ToDictionary(IEnumerable<Label> labels)
    {
        var dictionary = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            dictionary[label.Key] = label.Value;
        }

        return dictionary;
    }
}
