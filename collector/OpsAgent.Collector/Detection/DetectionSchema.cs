using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Detection;

/// <summary>Tables of detection (component "detection"), applied by <see cref="SqliteDatabase"/> at start-up.</summary>
internal static class DetectionSchema
{
    public const string Component = "detection";

    /// <summary>
    /// <list type="bullet">
    /// <item><c>detector_state</c>: per series, the saved <see cref="SeriesDetector"/> (about 25 KiB), so that a restart
    /// continues where detection stopped instead of relearning.</item>
    /// <item><c>incidents</c>: anomalies of one host that overlap in time; host labels as a flat key/value blob, metric
    /// names as a list blob (see LabelCodec).</item>
    /// <item><c>anomalies</c>: one row per anomaly with its series identity copied in (the series may be forgotten by
    /// retention before the anomaly is), its stretch, peak, usual band and, for exhaustion warnings, the forecast.
    /// Open rows (state 0) are the tracker's working set at start-up.</item>
    /// </list>
    /// </summary>
    public static IEnumerable<SchemaMigration> Migrations { get; } =
    [
        new(Component, 1, """
            CREATE TABLE detector_state (
                series_id INTEGER PRIMARY KEY,
                saved_unix_ms INTEGER NOT NULL,
                data BLOB NOT NULL);
            CREATE TABLE incidents (
                incident_id INTEGER PRIMARY KEY AUTOINCREMENT,
                agent_id TEXT NOT NULL,
                hostname TEXT NOT NULL,
                host_labels BLOB NOT NULL,
                severity INTEGER NOT NULL,
                state INTEGER NOT NULL,
                opened_unix_ms INTEGER NOT NULL,
                updated_unix_ms INTEGER NOT NULL,
                resolved_unix_ms INTEGER NOT NULL,
                resolution INTEGER NOT NULL,
                title TEXT NOT NULL,
                anomaly_count INTEGER NOT NULL,
                open_anomalies INTEGER NOT NULL,
                metrics BLOB NOT NULL);
            CREATE INDEX incidents_by_state ON incidents (state, opened_unix_ms);
            CREATE INDEX incidents_by_time ON incidents (opened_unix_ms);
            CREATE TABLE anomalies (
                anomaly_id INTEGER PRIMARY KEY AUTOINCREMENT,
                incident_id INTEGER NOT NULL,
                series_id INTEGER NOT NULL,
                agent_id TEXT NOT NULL,
                hostname TEXT NOT NULL,
                metric TEXT NOT NULL,
                labels BLOB NOT NULL,
                metric_kind INTEGER NOT NULL,
                unit TEXT NOT NULL,
                host_labels BLOB NOT NULL,
                kind INTEGER NOT NULL,
                severity INTEGER NOT NULL,
                state INTEGER NOT NULL,
                started_unix_ms INTEGER NOT NULL,
                raised_unix_ms INTEGER NOT NULL,
                last_anomalous_unix_ms INTEGER NOT NULL,
                updated_unix_ms INTEGER NOT NULL,
                resolved_unix_ms INTEGER NOT NULL,
                resolution INTEGER NOT NULL,
                peak_score REAL NOT NULL,
                value REAL,
                usual_low REAL,
                usual_high REAL,
                forecast_level REAL,
                forecast_rate_per_hour REAL,
                forecast_tte_ms INTEGER,
                forecast_earliest_ms INTEGER,
                forecast_latest_ms INTEGER,
                forecast_confidence REAL,
                forecast_as_of_unix_ms INTEGER);
            CREATE INDEX anomalies_by_time ON anomalies (started_unix_ms);
            CREATE INDEX anomalies_by_series ON anomalies (series_id, started_unix_ms);
            CREATE INDEX anomalies_by_incident ON anomalies (incident_id);
            CREATE INDEX anomalies_by_state ON anomalies (state);
            """),

        // Who resolved an incident on request (an operator, or playbook:NAME) and the last word about it (what a playbook
        // did, why it escalated): so that `opsctl incidents show` tells the whole story, not just "manual".
        new(Component, 2, """
            ALTER TABLE incidents ADD COLUMN resolved_by TEXT NOT NULL DEFAULT '';
            ALTER TABLE incidents ADD COLUMN note TEXT NOT NULL DEFAULT '';
            """),
    ];
}
