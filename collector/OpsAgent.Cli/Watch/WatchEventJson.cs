using OpsAgent.Cli.Anomalies;
using OpsAgent.Cli.Incidents;
using OpsAgent.Cli.Output;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Watch;

/// <summary>
/// One line of `opsctl watch -o json` (JSON lines; stable contract: add fields, never rename). type is one of
/// anomaly_opened, anomaly_escalated, anomaly_resolved, incident_opened, incident_updated, incident_escalated,
/// incident_resolved; incident is null for an anomaly not grouped yet, anomaly null for an incident resolved by hand;
/// dropped counts events this watcher lost so far by reading too slowly.
/// </summary>
internal sealed record WatchEventJson(
    ulong Sequence,
    string Type,
    string? Time,
    IncidentJson? Incident,
    AnomalyJson? Anomaly,
    ulong Dropped)
{
    public static WatchEventJson From(DetectionEvent e) => new(
        e.Sequence,
        DetectionNames.Event(e.Type),
        TimeFormatter.ToRfc3339(e.UnixMs),
        e.Incident is null ? null : IncidentJson.From(e.Incident),
        e.Anomaly is null ? null : AnomalyJson.From(e.Anomaly),
        e.Dropped);
}
