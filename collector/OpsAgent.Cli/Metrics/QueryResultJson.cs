namespace OpsAgent.Cli.Metrics;

/// <summary>The JSON document of `opsctl metrics query` (stable JSON contract: add fields, never rename).</summary>
/// <param name="Start">The (step-aligned) start the collector was asked for, RFC 3339 UTC.</param>
/// <param name="StepMs">The step in milliseconds; 0 for raw samples.</param>
internal sealed record QueryResultJson(
    string Name,
    string Aggregation,
    string Start,
    string End,
    long StepMs,
    bool Truncated,
    IReadOnlyList<QuerySeriesJson> Series);
