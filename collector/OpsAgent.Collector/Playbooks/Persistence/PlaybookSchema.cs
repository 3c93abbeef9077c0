using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Playbooks.Persistence;

/// <summary>
/// Tables of the playbook engine (schema component "playbooks"), applied by <see cref="SqliteDatabase"/> at start-up
/// like every other component's.
/// <list type="bullet">
/// <item><c>playbook_runs</c>: one row per run; the run itself is a JSON document (definition, trigger, steps, the
/// pending command) and the columns beside it are what queries filter on. The unique index is the one-run-per-incident
/// rule. <c>problem</c> is set on a row that could not be read back, which is then left out of the engine.</item>
/// <item><c>playbook_cooldowns</c>: when the last run of a playbook on an agent ended.</item>
/// <item><c>playbook_breakers</c>: circuit breakers that are open, half-open, or closed with failures counted.</item>
/// </list>
/// </summary>
internal static class PlaybookSchema
{
    public const string Component = "playbooks";

    public static IEnumerable<SchemaMigration> Migrations { get; } =
    [
        new(Component, 1, """
            CREATE TABLE playbook_runs (
                run_id TEXT PRIMARY KEY,
                playbook TEXT NOT NULL,
                agent_id TEXT NOT NULL,
                incident_id TEXT NOT NULL,
                state INTEGER NOT NULL,
                started_unix_ms INTEGER NOT NULL,
                ended_unix_ms INTEGER,
                problem TEXT,
                data TEXT NOT NULL);
            CREATE UNIQUE INDEX playbook_runs_by_incident ON playbook_runs (playbook, agent_id, incident_id);
            CREATE INDEX playbook_runs_by_end ON playbook_runs (ended_unix_ms);
            CREATE TABLE playbook_cooldowns (
                playbook TEXT NOT NULL,
                agent_id TEXT NOT NULL,
                last_run_ended_unix_ms INTEGER NOT NULL,
                PRIMARY KEY (playbook, agent_id)) WITHOUT ROWID;
            CREATE TABLE playbook_breakers (
                playbook TEXT NOT NULL,
                agent_id TEXT NOT NULL,
                position INTEGER NOT NULL,
                opened_unix_ms INTEGER,
                failures TEXT NOT NULL,
                PRIMARY KEY (playbook, agent_id)) WITHOUT ROWID;
            """),
    ];
}
