using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Commands;

/// <summary>
/// Tables of the command dispatcher (schema component "commands"), applied by <see cref="SqliteDatabase"/> at start-up.
/// <c>commands</c> holds one row per command: who, why, what (the serialized command and, once signed, the exact bytes
/// sent), its state, approval, deliveries and the agent's result. The result columns are written by
/// <see cref="CommandResultSink"/> in the same transaction as the batch that carried them, so a result is stored exactly
/// once however often the agent sends it.
/// </summary>
internal static class CommandSchema
{
    public const string Component = "commands";

    public static IEnumerable<SchemaMigration> Migrations { get; } =
    [
        new(Component, 1, """
            CREATE TABLE commands (
                command_id TEXT PRIMARY KEY,
                agent_id TEXT NOT NULL,
                hostname TEXT NOT NULL,
                state INTEGER NOT NULL,
                action TEXT NOT NULL,
                issued_by TEXT NOT NULL,
                reason TEXT NOT NULL,
                dry_run INTEGER NOT NULL,
                playbook TEXT,
                run_id TEXT,
                incident_id TEXT,
                command BLOB NOT NULL,
                signed BLOB,
                created_unix_ms INTEGER NOT NULL,
                updated_unix_ms INTEGER NOT NULL,
                approval_deadline_unix_ms INTEGER NOT NULL,
                decided_by TEXT,
                decision_comment TEXT,
                decided_unix_ms INTEGER NOT NULL,
                first_sent_unix_ms INTEGER NOT NULL,
                last_sent_unix_ms INTEGER NOT NULL,
                send_count INTEGER NOT NULL,
                state_reason TEXT NOT NULL,
                result_status INTEGER,
                result_reason TEXT,
                result_exit_code INTEGER,
                result_output TEXT,
                result_truncated INTEGER,
                result_started_unix_ms INTEGER,
                result_duration_ms INTEGER,
                result_dry_run INTEGER,
                result_received_unix_ms INTEGER);
            CREATE INDEX commands_by_state ON commands (state);
            CREATE INDEX commands_by_time ON commands (created_unix_ms);
            CREATE INDEX commands_by_agent ON commands (agent_id, created_unix_ms);
            CREATE INDEX commands_by_incident ON commands (incident_id);
            """),
    ];
}
