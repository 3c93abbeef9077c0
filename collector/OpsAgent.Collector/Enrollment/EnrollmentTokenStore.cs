using Microsoft.Data.Sqlite;
using OpsAgent.Collector.Access;
using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Enrollment;

/// <summary>Single-use enrolment tokens in the collector's database (table <c>enrollment_tokens</c>).</summary>
internal sealed class EnrollmentTokenStore(SqliteDatabase database, TimeProvider time)
{
    /// <summary>Creates a token valid for <paramref name="lifetime"/>; returns it with the full token string, shown once.</summary>
    public (EnrollmentTokenRecord Record, string Token) Create(
        TimeSpan lifetime, IReadOnlyDictionary<string, string> labels, string description, string createdBy, string caPin)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        string id = TokenSecrets.NewId();
        string secret = TokenSecrets.NewSecret();
        var sorted = new SortedDictionary<string, string>(labels.ToDictionary(), StringComparer.Ordinal);
        var record = new EnrollmentTokenRecord(id, description, sorted, now, createdBy, now + (long)lifetime.TotalMilliseconds, 0, "", "", 0);
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO enrollment_tokens (token_id, secret_hash, description, labels, created_unix_ms, created_by, expires_unix_ms)
            VALUES ($id, $hash, $description, $labels, $created, $by, $expires);
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$hash", TokenSecrets.Hash(secret));
        command.Parameters.AddWithValue("$description", description);
        command.Parameters.AddWithValue("$labels", EncodeLabels(sorted));
        command.Parameters.AddWithValue("$created", now);
        command.Parameters.AddWithValue("$by", createdBy);
        command.Parameters.AddWithValue("$expires", record.ExpiresUnixMs);
        command.ExecuteNonQuery();
        return (record, TokenSecrets.FormatEnrollmentToken(id, secret, caPin));
    }

    /// <summary>The token with this id when <paramref name="secret"/> is its secret; null when unknown or wrong.</summary>
    public EnrollmentTokenRecord? Find(string id, string secret)
    {
        using SqliteConnection connection = database.OpenConnection();
        (EnrollmentTokenRecord Record, byte[] Hash)? row = Read(connection, null, id);
        return row is { } r && TokenSecrets.Matches(secret, r.Hash) ? r.Record : null;
    }

    /// <summary>
    /// Marks the token used, inside the enrolment's transaction. False when it was used (or revoked) in the meantime:
    /// two agents racing with one token, of which only one may win.
    /// </summary>
    public static bool TryMarkUsed(SqliteConnection connection, SqliteTransaction transaction, string id, string agentId, string peer, long nowUnixMs)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE enrollment_tokens SET used_unix_ms = $now, used_by_agent_id = $agent, used_from = $peer
            WHERE token_id = $id AND used_unix_ms = 0 AND revoked_unix_ms = 0 AND expires_unix_ms > $now;
            """;
        command.Parameters.AddWithValue("$now", nowUnixMs);
        command.Parameters.AddWithValue("$agent", agentId);
        command.Parameters.AddWithValue("$peer", peer);
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery() == 1;
    }

    public IReadOnlyList<EnrollmentTokenRecord> List(bool includeInactive)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM enrollment_tokens ORDER BY created_unix_ms, token_id;";
        using SqliteDataReader reader = command.ExecuteReader();
        var tokens = new List<EnrollmentTokenRecord>();
        while (reader.Read())
        {
            EnrollmentTokenRecord record = ReadRecord(reader);
            if (includeInactive || record.IsUsable(now))
            {
                tokens.Add(record);
            }
        }

        return tokens;
    }

    /// <summary>Revokes an unused token; returns it as it is now, or null when no token has that id.</summary>
    public EnrollmentTokenRecord? Revoke(string id)
    {
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "UPDATE enrollment_tokens SET revoked_unix_ms = $now WHERE token_id = $id AND revoked_unix_ms = 0 AND used_unix_ms = 0;";
        command.Parameters.AddWithValue("$now", time.GetUtcNow().ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
        return Read(connection, null, id)?.Record;
    }

    internal static byte[] EncodeLabels(IReadOnlyDictionary<string, string> labels)
    {
        var flat = new List<string>(labels.Count * 2);
        foreach ((string key, string value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            flat.Add(key);
            flat.Add(value);
        }

        return LabelCodec.Encode(flat);
    }

    internal static SortedDictionary<string, string> DecodeLabels(byte[] blob)
    {
        string[] flat = LabelCodec.Decode(blob);
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < flat.Length; i += 2)
        {
            labels[flat[i]] = flat[i + 1];
        }

        return labels;
    }

    private const string Columns =
        "token_id, description, labels, created_unix_ms, created_by, expires_unix_ms, used_unix_ms, used_by_agent_id, used_from, revoked_unix_ms, secret_hash";

    private static (EnrollmentTokenRecord Record, byte[] Hash)? Read(SqliteConnection connection, SqliteTransaction? transaction, string id)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM enrollment_tokens WHERE token_id = $id;";
        command.Parameters.AddWithValue("$id", id);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? (ReadRecord(reader), (byte[])reader.GetValue(10)) : null;
    }

    private static EnrollmentTokenRecord ReadRecord(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        DecodeLabels((byte[])reader.GetValue(2)),
        reader.GetInt64(3),
        reader.GetString(4),
        reader.GetInt64(5),
        reader.GetInt64(6),
        reader.GetString(7),
        reader.GetString(8),
        reader.GetInt64(9));
}
