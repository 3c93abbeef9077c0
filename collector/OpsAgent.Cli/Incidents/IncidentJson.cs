using OpsAgent.Cli.Anomalies;
using OpsAgent.Cli.Output;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Incidents;

/// <summary>One incident in JSON output (stable JSON contract: add fields, never rename).</summary>
/// <remarks>anomalies is filled by `opsctl incidents show` and empty in lists.</remarks>
internal sealed record IncidentJson(
    ulong Id,
    string Hostname,
    string AgentId,
    SortedDictionary<string, string> HostLabels,
    string Severity,
    string State,
    string? Resolution,
    string? Opened,
    string? Updated,
    string? Resolved,
    string Title,
    uint AnomalyCount,
    uint OpenAnomalies,
    IReadOnlyList<string> Metrics,
    IReadOnlyList<AnomalyJson> Anomalies,
    string? ResolvedBy,
    string? Note)
{
    public static IncidentJson From(Incident i) => new(
        i.IncidentId,
        i.Hostname,
        i.AgentId,
        new SortedDictionary<string, string>(i.HostLabels, StringComparer.Ordinal),
        DetectionNames.Severity(i.Severity),
        i.Open ? "open" : "resolved",
        DetectionNames.Resolution(i.Resolution),
        TimeFormatter.ToRfc3339(i.OpenedUnixMs),
        TimeFormatter.ToRfc3339(i.UpdatedUnixMs),
        TimeFormatter.ToRfc3339(i.ResolvedUnixMs),
        i.Title,
        i.AnomalyCount,
        i.OpenAnomalies,
        [.. i.Metrics],
        [.. i.Anomalies.Select(AnomalyJson.From)],
        i.ResolvedBy.Length == 0 ? null : i.ResolvedBy,
        i.Note.Length == 0 ? null : i.Note);
}
