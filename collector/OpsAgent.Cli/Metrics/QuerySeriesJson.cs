using OpsAgent.Cli.Anomalies;

namespace OpsAgent.Cli.Metrics;

/// <summary>One series of `opsctl metrics query -o json` with its summary, points and the anomalies in the range.</summary>
internal sealed record QuerySeriesJson(
    string Name,
    string Kind,
    string Unit,
    string Hostname,
    string AgentId,
    SortedDictionary<string, string> Labels,
    SeriesSummaryJson Summary,
    IReadOnlyList<PointJson> Points,
    IReadOnlyList<AnomalyJson> Anomalies);
