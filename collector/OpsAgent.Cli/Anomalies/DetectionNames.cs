using OpsAgent.Protocol;

namespace OpsAgent.Cli.Anomalies;

/// <summary>The words opsctl uses for detection's enums, in tables and JSON.</summary>
internal static class DetectionNames
{
    public static string Kind(AnomalyKind kind) => kind == AnomalyKind.Exhaustion ? "exhaustion" : "metric";

    public static string Severity(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "critical",
        AlertSeverity.Warning => "warning",
        _ => "unspecified",
    };

    /// <summary>null while open (JSON); the reason it ended otherwise.</summary>
    public static string? Resolution(Resolution resolution) => resolution switch
    {
        Protocol.Resolution.Recovered => "recovered",
        Protocol.Resolution.Settled => "settled",
        Protocol.Resolution.NoData => "no_data",
        Protocol.Resolution.Manual => "manual",
        _ => null,
    };

    public static string Event(DetectionEventType type) => type switch
    {
        DetectionEventType.AnomalyOpened => "anomaly_opened",
        DetectionEventType.AnomalyEscalated => "anomaly_escalated",
        DetectionEventType.AnomalyResolved => "anomaly_resolved",
        DetectionEventType.IncidentOpened => "incident_opened",
        DetectionEventType.IncidentUpdated => "incident_updated",
        DetectionEventType.IncidentEscalated => "incident_escalated",
        DetectionEventType.IncidentResolved => "incident_resolved",
        _ => "unspecified",
    };

    /// <summary>Accepted by --severity.</summary>
    public static readonly IReadOnlyDictionary<string, AlertSeverity> Severities = new Dictionary<string, AlertSeverity>(StringComparer.Ordinal)
    {
        ["warning"] = AlertSeverity.Warning,
        ["critical"] = AlertSeverity.Critical,
    };
}
