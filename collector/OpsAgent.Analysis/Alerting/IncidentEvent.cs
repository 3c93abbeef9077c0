namespace OpsAgent.Analysis.Alerting;

/// <summary>A change to one incident of one host.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="IncidentSequence">The incident's number within its grouper (1, 2, ...).</param>
/// <param name="SeriesKey">The series whose anomaly caused the event (the last one to clear for <see cref="IncidentEventKind.Closed"/>).</param>
/// <param name="TimestampMs">When it happened, in unix ms.</param>
public sealed record IncidentEvent(IncidentEventKind Kind, long IncidentSequence, string SeriesKey, long TimestampMs);
