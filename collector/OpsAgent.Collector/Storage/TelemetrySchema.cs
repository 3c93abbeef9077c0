namespace OpsAgent.Collector.Storage;

/// <summary>Tables of the time-series store (component "telemetry") and of the agent repository ("agents").</summary>
internal static class TelemetrySchema
{
    public const string TelemetryComponent = "telemetry";
    public const string AgentsComponent = "agents";

    /// <summary>
    /// <list type="bullet">
    /// <item><c>agent_keys</c>: a small integer per agent id (series rows stay short) and the exactly-once floor:
    /// every sequence below it is settled. <c>sequence_ranges</c> holds stored sequences above the floor as ranges,
    /// so an agent whose sequences arrive in order costs one row however long it runs.</item>
    /// <item><c>series</c>: identity (agent, name, labels) and metadata; labels as a compact binary list.</item>
    /// <item><c>chunks</c>: closed, encoded runs of samples; a chunk never spans a 2-hour window, which bounds the
    /// index range a time query scans and lets retention drop whole chunks.</item>
    /// <item><c>heads</c>: per series, how far its samples are persisted (the write-ahead id and how many samples of
    /// that record) and the last snapshot of its open chunk.</item>
    /// <item><c>wal</c>: committed batches since the last checkpoint round, in a compact binary form;
    /// AUTOINCREMENT keeps ids increasing after old rows are deleted, because heads refer to them.</item>
    /// <item><c>rollups</c>: 5-minute min/max/sum/count/last per series and 2-hour window, kept longer than raw chunks.</item>
    /// <item><c>quarantine</c>: records that failed their checksum or did not decode, kept for inspection.</item>
    /// </list>
    /// </summary>
    public static IEnumerable<SchemaMigration> Migrations { get; } =
    [
        new(TelemetryComponent, 1, """
            CREATE TABLE agent_keys (
                agent_key INTEGER PRIMARY KEY,
                agent_id TEXT NOT NULL UNIQUE,
                sequence_floor INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE sequence_ranges (
                agent_key INTEGER NOT NULL,
                lo INTEGER NOT NULL,
                hi INTEGER NOT NULL,
                PRIMARY KEY (agent_key, lo)) WITHOUT ROWID;
            CREATE TABLE series (
                series_id INTEGER PRIMARY KEY,
                agent_key INTEGER NOT NULL,
                name TEXT NOT NULL,
                labels BLOB NOT NULL,
                kind INTEGER NOT NULL,
                unit TEXT NOT NULL);
            CREATE TABLE chunks (
                chunk_id INTEGER PRIMARY KEY,
                series_id INTEGER NOT NULL,
                start_ms INTEGER NOT NULL,
                end_ms INTEGER NOT NULL,
                samples INTEGER NOT NULL,
                data BLOB NOT NULL);
            CREATE INDEX chunks_by_series ON chunks (series_id, start_ms);
            CREATE TABLE heads (
                series_id INTEGER PRIMARY KEY,
                wal_id INTEGER NOT NULL,
                wal_skip INTEGER NOT NULL,
                first_ms INTEGER NOT NULL,
                last_ms INTEGER NOT NULL,
                data BLOB);
            CREATE TABLE wal (
                wal_id INTEGER PRIMARY KEY AUTOINCREMENT,
                data BLOB NOT NULL);
            CREATE TABLE rollups (
                series_id INTEGER NOT NULL,
                window_ms INTEGER NOT NULL,
                data BLOB NOT NULL,
                PRIMARY KEY (series_id, window_ms)) WITHOUT ROWID;
            CREATE TABLE quarantine (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                source_id INTEGER NOT NULL,
                reason TEXT NOT NULL,
                quarantined_unix_ms INTEGER NOT NULL,
                data BLOB);
            CREATE TABLE store_state (
                key TEXT PRIMARY KEY,
                value INTEGER NOT NULL) WITHOUT ROWID;
            """),
        new(AgentsComponent, 1, """
            CREATE TABLE agents (
                agent_id TEXT PRIMARY KEY,
                hostname TEXT NOT NULL,
                agent_version TEXT NOT NULL,
                labels BLOB NOT NULL,
                host_facts BLOB NOT NULL,
                capabilities BLOB NOT NULL,
                remote_address TEXT NOT NULL,
                first_seen_unix_ms INTEGER NOT NULL,
                last_seen_unix_ms INTEGER NOT NULL,
                batches_stored INTEGER NOT NULL,
                samples_stored INTEGER NOT NULL,
                last_sequence INTEGER NOT NULL);
            CREATE INDEX agents_by_hostname ON agents (hostname);
            """),
    ];
}
