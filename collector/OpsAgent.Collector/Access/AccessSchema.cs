using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Access;

/// <summary>Tables of component "access": API tokens (hashed) and the audit log.</summary>
internal static class AccessSchema
{
    public const string Component = "access";

    public static IEnumerable<SchemaMigration> Migrations { get; } =
    [
        new(Component, 1, """
            CREATE TABLE api_tokens (
                token_id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                role INTEGER NOT NULL,
                secret_hash BLOB NOT NULL,
                created_unix_ms INTEGER NOT NULL,
                created_by TEXT NOT NULL,
                expires_unix_ms INTEGER NOT NULL,
                last_used_unix_ms INTEGER NOT NULL DEFAULT 0,
                revoked_unix_ms INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
            CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                time_unix_ms INTEGER NOT NULL,
                actor_kind TEXT NOT NULL,
                actor_id TEXT NOT NULL,
                actor_name TEXT NOT NULL,
                role TEXT NOT NULL,
                method TEXT NOT NULL,
                outcome TEXT NOT NULL,
                detail TEXT NOT NULL,
                peer TEXT NOT NULL);
            CREATE INDEX audit_log_by_time ON audit_log (time_unix_ms);
            """),
    ];
}
