namespace OpsAgent.Cli.Metrics;

/// <summary>One series of `opsctl metrics query -o json` with its summary and points.</summary>
internal sealed record QuerySeriesJson(
    string Name,
    string Kind,
    string Unit,
    string Hostname,
    string AgentId,
    SortedDictionary<string, string> Labels,
    SeriesSummaryJson Summary,
    IReadOnlyList<PointJson> Points);
