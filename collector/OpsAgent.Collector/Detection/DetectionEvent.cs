namespace OpsAgent.Collector.Detection;

/// <summary>
/// One change published on the <see cref="DetectionEventHub"/>: anomaly events carry the anomaly and, once grouped, its
/// incident; incident events carry the incident and the anomaly that caused the change (null for a manual resolution).
/// </summary>
/// <param name="Sequence">Increases by one per published event (a gap seen by a subscriber means it lost events).</param>
/// <param name="AtUnixMs">Wall-clock time of publication.</param>
internal sealed record DetectionEvent(
    long Sequence,
    DetectionEventKind Kind,
    long AtUnixMs,
    IncidentRecord? Incident,
    AnomalyRecord? Anomaly);
