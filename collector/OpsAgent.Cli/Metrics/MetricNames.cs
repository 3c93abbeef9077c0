using OpsAgent.Protocol;

namespace OpsAgent.Cli.Metrics;

/// <summary>The words opsctl uses for the Admin API's enums, on the command line and in JSON.</summary>
internal static class MetricNames
{
    public static readonly IReadOnlyDictionary<string, Aggregation> Aggregations = new Dictionary<string, Aggregation>(StringComparer.Ordinal)
    {
        ["avg"] = Aggregation.Avg,
        ["min"] = Aggregation.Min,
        ["max"] = Aggregation.Max,
        ["sum"] = Aggregation.Sum,
        ["p95"] = Aggregation.P95,
        ["last"] = Aggregation.Last,
        ["count"] = Aggregation.Count,
        ["rate"] = Aggregation.Rate,
    };

    public static string Kind(MetricKind kind) => kind switch
    {
        MetricKind.Gauge => "gauge",
        MetricKind.Counter => "counter",
        _ => "unspecified",
    };
}
