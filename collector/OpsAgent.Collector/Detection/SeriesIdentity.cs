using OpsAgent.Protocol;

namespace OpsAgent.Collector.Detection;

/// <summary>Which series a detector watches, as anomalies and incidents describe it.</summary>
/// <param name="SeriesId">The store's id of the series.</param>
/// <param name="Labels">The series' own labels (not host or agent_id), sorted by key.</param>
/// <param name="HostLabels">The agent's static labels (env, role, ...), which playbooks match on.</param>
internal sealed record SeriesIdentity(
    ulong SeriesId,
    string AgentId,
    string Hostname,
    string Name,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    MetricKind Kind,
    string Unit,
    IReadOnlyDictionary<string, string> HostLabels)
{
    /// <summary>The value of a label, or null.</summary>
    public string? Label(string key)
    {
        foreach ((string k, string v) in Labels)
        {
            if (k == key)
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>name{k=v,...} as people read a series.</summary>
    public string Display => Labels.Count == 0 ? Name : $"{Name}{{{string.Join(',', Labels.Select(l => $"{l.Key}={l.Value}"))}}}";
}
