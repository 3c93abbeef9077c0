using OpsAgent.Cli.Metrics;
using OpsAgent.Cli.Output;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Anomalies;

/// <summary>One anomaly in JSON output (stable JSON contract: add fields, never rename).</summary>
/// <remarks>
/// state is "open" or "resolved"; resolution is null while open, else recovered, settled, no_data or manual. The
/// anomalous stretch is started..lastAnomalous. value, usualLow and usualHigh are null when unknown (and for a
/// counter they are per-second rates).
/// </remarks>
internal sealed record AnomalyJson(
    ulong Id,
    ulong IncidentId,
    string Kind,
    string Severity,
    string State,
    string? Resolution,
    string Metric,
    SortedDictionary<string, string> Labels,
    string MetricKind,
    string Unit,
    string Hostname,
    string AgentId,
    SortedDictionary<string, string> HostLabels,
    string? Started,
    string? Raised,
    string? LastAnomalous,
    string? Resolved,
    double PeakScore,
    double? Value,
    double? UsualLow,
    double? UsualHigh,
    ForecastJson? Forecast,
    string Summary)
{
    public static AnomalyJson From(Anomaly a) => new(
        a.AnomalyId,
        a.IncidentId,
        DetectionNames.Kind(a.Kind),
        DetectionNames.Severity(a.Severity),
        a.Open ? "open" : "resolved",
        DetectionNames.Resolution(a.Resolution),
        a.Metric,
        SeriesJson.ToDictionary(a.Labels),
        MetricNames.Kind(a.MetricKind),
        a.Unit,
        a.Hostname,
        a.AgentId,
        new SortedDictionary<string, string>(a.HostLabels, StringComparer.Ordinal),
        TimeFormatter.ToRfc3339(a.StartedUnixMs),
        TimeFormatter.ToRfc3339(a.RaisedUnixMs),
        TimeFormatter.ToRfc3339(a.LastAnomalousUnixMs),
        TimeFormatter.ToRfc3339(a.ResolvedUnixMs),
        a.PeakScore,
        SeriesSummaryJson.Finite(a.Value),
        SeriesSummaryJson.Finite(a.UsualLow),
        SeriesSummaryJson.Finite(a.UsualHigh),
        ForecastJson.From(a.Forecast),
        a.Summary);
}
