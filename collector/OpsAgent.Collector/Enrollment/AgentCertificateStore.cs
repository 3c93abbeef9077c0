using Microsoft.Data.Sqlite;
using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Enrollment;

/// <summary>
/// The client certificates the collector issued and the agents it revoked (tables <c>agent_certificates</c>,
/// <c>agent_enrollments</c>, <c>agent_revocations</c>). Read at every stream, renewal and enrolment: rare events, and
/// reading the database each time makes a revocation effective at once.
/// </summary>
internal sealed class AgentCertificateStore(SqliteDatabase database)
{
    /// <summary>Records an issued certificate inside the enrolment's or renewal's transaction.</summary>
    public static void RecordIssued(SqliteConnection connection, SqliteTransaction transaction, string serial, string agentId, long issuedUnixMs, long expiresUnixMs)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO agent_certificates (serial, agent_id, issued_unix_ms, expires_unix_ms) VALUES ($serial, $agent, $issued, $expires);
            """;
        command.Parameters.AddWithValue("$serial", serial);
        command.Parameters.AddWithValue("$agent", agentId);
        command.Parameters.AddWithValue("$issued", issuedUnixMs);
        command.Parameters.AddWithValue("$expires", expiresUnixMs);
        command.ExecuteNonQuery();
    }

    /// <summary>Records an enrolment: the token's labels for the agent, and the end of an earlier revocation of its id.</summary>
    public static void RecordEnrollment(
        SqliteConnection connection, SqliteTransaction transaction, string agentId, string tokenId, IReadOnlyDictionary<string, string> labels, long nowUnixMs)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO agent_enrollments (agent_id, token_id, labels, enrolled_unix_ms) VALUES ($agent, $token, $labels, $now)
            ON CONFLICT (agent_id) DO UPDATE SET token_id = excluded.token_id, labels = excluded.labels, enrolled_unix_ms = excluded.enrolled_unix_ms;
            DELETE FROM agent_revocations WHERE agent_id = $agent;
            """;
        command.Parameters.AddWithValue("$agent", agentId);
        command.Parameters.AddWithValue("$token", tokenId);
        command.Parameters.AddWithValue("$labels", EnrollmentTokenStore.EncodeLabels(labels));
        command.Parameters.AddWithValue("$now", nowUnixMs);
        command.ExecuteNonQuery();
    }

    /// <summary>The latest expiry among the agent's certificates that still work, or null when it has none.</summary>
    public long? ActiveCertificateExpiry(string agentId, long nowUnixMs)
    {
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT max(expires_unix_ms) FROM agent_certificates WHERE agent_id = $agent AND revoked_unix_ms = 0 AND expires_unix_ms > $now;";
        command.Parameters.AddWithValue("$agent", agentId);
        command.Parameters.AddWithValue("$now", nowUnixMs);
        return command.ExecuteScalar() is long expiry ? expiry : null;
    }

    /// <summary>Why the certificate with this serial may not be used by <paramref name="agentId"/>, or null when it may.</summary>
    public string? Problem(string serial, string agentId)
    {
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT agent_id, revoked_unix_ms FROM agent_certificates WHERE serial = $serial;";
        command.Parameters.AddWithValue("$serial", serial);
        using SqliteDataReader reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return $"the certificate (serial {serial}) is not one this collector issued at enrolment";
        }

        if (!string.Equals(reader.GetString(0), agentId, StringComparison.Ordinal))
        {
            return $"the certificate (serial {serial}) was issued to another agent than the one it names";
        }

        if (reader.GetInt64(1) != 0)
        {
            AgentRevocation? revocation = FindRevocation(connection, agentId);
            return revocation is null
                ? $"the certificate (serial {serial}) of agent {agentId} was revoked"
                : $"agent {agentId} was revoked at {Access.ApiTokenStore.Format(revocation.RevokedUnixMs)} by {revocation.RevokedBy}: {revocation.Reason}. It must enrol again with a new token";
        }

        return null;
    }

    /// <summary>Revokes every certificate of the agent and records why; returns how many certificates were still active.</summary>
    public int RevokeAgent(string agentId, string reason, string revokedBy, long nowUnixMs)
    {
        using SqliteConnection connection = database.OpenConnection();
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE agent_certificates SET revoked_unix_ms = $now WHERE agent_id = $agent AND revoked_unix_ms = 0;";
        command.Parameters.AddWithValue("$now", nowUnixMs);
        command.Parameters.AddWithValue("$agent", agentId);
        int revoked = command.ExecuteNonQuery();
        using SqliteCommand record = connection.CreateCommand();
        record.Transaction = transaction;
        record.CommandText = """
            INSERT INTO agent_revocations (agent_id, revoked_unix_ms, reason, revoked_by) VALUES ($agent, $now, $reason, $by)
            ON CONFLICT (agent_id) DO UPDATE SET revoked_unix_ms = excluded.revoked_unix_ms, reason = excluded.reason, revoked_by = excluded.revoked_by;
            """;
        record.Parameters.AddWithValue("$agent", agentId);
        record.Parameters.AddWithValue("$now", nowUnixMs);
        record.Parameters.AddWithValue("$reason", reason);
        record.Parameters.AddWithValue("$by", revokedBy);
        record.ExecuteNonQuery();
        transaction.Commit();
        return revoked;
    }

    /// <summary>The agent's revocation, if it was revoked and has not enrolled since.</summary>
    public AgentRevocation? FindRevocation(string agentId)
    {
        using SqliteConnection connection = database.OpenConnection();
        return FindRevocation(connection, agentId);
    }

    /// <summary>The labels the agent's enrolment token attached to it (empty when none, or not enrolled).</summary>
    public IReadOnlyDictionary<string, string> EnrollmentLabels(string agentId)
    {
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT labels FROM agent_enrollments WHERE agent_id = $agent;";
        command.Parameters.AddWithValue("$agent", agentId);
        return command.ExecuteScalar() is byte[] blob ? EnrollmentTokenStore.DecodeLabels(blob) : new Dictionary<string, string>();
    }

    private static AgentRevocation? FindRevocation(SqliteConnection connection, string agentId)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT revoked_unix_ms, reason, revoked_by FROM agent_revocations WHERE agent_id = $agent;";
        command.Parameters.AddWithValue("$agent", agentId);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? new AgentRevocation(agentId, reader.GetInt64(0), reader.GetString(1), reader.GetString(2)) : null;
    }
}
