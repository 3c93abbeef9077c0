namespace OpsAgent.Collector.Detection;

/// <summary>Which anomalies a reader wants: those open at some time in [Since, Until], newest first.</summary>
/// <param name="Host">A hostname or an agent id; null for all.</param>
/// <param name="MetricPrefix">Metric names starting with this; null for all.</param>
/// <param name="SeriesIds">Only these series (marks on a metrics query); empty for all.</param>
internal sealed record AnomalyFilter(
    long SinceUnixMs,
    long UntilUnixMs,
    string? Host,
    string? MetricPrefix,
    bool OpenOnly,
    IReadOnlyCollection<ulong> SeriesIds,
    int Limit);
