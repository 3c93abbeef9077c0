using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Enrollment;

/// <summary>
/// Tables of component "enrollment":
/// <list type="bullet">
/// <item><c>enrollment_tokens</c>: single-use tokens, the secret only as a hash, and who used each;</item>
/// <item><c>agent_certificates</c>: every client certificate issued, by serial. A certificate is accepted only when its
/// serial is here and not revoked: an allowlist, so even a certificate forged with a stolen CA key is refused;</item>
/// <item><c>agent_enrollments</c>: per agent, the token it enrolled with and the labels that token attached;</item>
/// <item><c>agent_revocations</c>: agents cut off with <c>opsctl agents revoke</c> (until they enrol again).</item>
/// </list>
/// </summary>
internal static class EnrollmentSchema
{
    public const string Component = "enrollment";

    public static IEnumerable<SchemaMigration> Migrations { get; } =
    [
        new(Component, 1, """
            CREATE TABLE enrollment_tokens (
                token_id TEXT PRIMARY KEY,
                secret_hash BLOB NOT NULL,
                description TEXT NOT NULL,
                labels BLOB NOT NULL,
                created_unix_ms INTEGER NOT NULL,
                created_by TEXT NOT NULL,
                expires_unix_ms INTEGER NOT NULL,
                used_unix_ms INTEGER NOT NULL DEFAULT 0,
                used_by_agent_id TEXT NOT NULL DEFAULT '',
                used_from TEXT NOT NULL DEFAULT '',
                revoked_unix_ms INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
            CREATE TABLE agent_certificates (
                serial TEXT PRIMARY KEY,
                agent_id TEXT NOT NULL,
                issued_unix_ms INTEGER NOT NULL,
                expires_unix_ms INTEGER NOT NULL,
                revoked_unix_ms INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
            CREATE INDEX agent_certificates_by_agent ON agent_certificates (agent_id);
            CREATE TABLE agent_enrollments (
                agent_id TEXT PRIMARY KEY,
                token_id TEXT NOT NULL,
                labels BLOB NOT NULL,
                enrolled_unix_ms INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE agent_revocations (
                agent_id TEXT PRIMARY KEY,
                revoked_unix_ms INTEGER NOT NULL,
                reason TEXT NOT NULL,
                revoked_by TEXT NOT NULL) WITHOUT ROWID;
            """),
    ];
}
