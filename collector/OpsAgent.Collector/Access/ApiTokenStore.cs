using Microsoft.Data.Sqlite;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Access;

/// <summary>
/// API tokens in the collector's database. Every check reads the database (an indexed lookup of a few microseconds;
/// admin calls are rare), so a revocation takes effect on the very next call, and a token created by another process
/// on the same data directory (the collector's <c>bootstrap-admin</c> command) works at once.
/// </summary>
internal sealed class ApiTokenStore(SqliteDatabase database, TimeProvider time)
{
    /// <summary>Last-used times are written at most this often per token: a busy CI token must not turn reads into writes.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public const int MaxNameLength = 64;

    /// <summary>Creates a token and returns it with its secret, which exists nowhere else afterwards.</summary>
    public (ApiTokenRecord Record, string Token) Create(string name, Role role, TimeSpan? lifetime, string createdBy) =>
        Create(name, role, lifetime, createdBy, TokenSecrets.NewId(), TokenSecrets.NewSecret());

    /// <summary>Creates a token whose id and secret the caller made (the bootstrap credential is written to disk first).</summary>
    public (ApiTokenRecord Record, string Token) Create(string name, Role role, TimeSpan? lifetime, string createdBy, string id, string secret)
    {
        if (NameProblem(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }

        if (role is not (Role.Viewer or Role.Operator or Role.Admin))
        {
            throw new ArgumentException($"role must be viewer, operator or admin; got {role}", nameof(role));
        }

        long now = NowMs();
        var record = new ApiTokenRecord(id, name, role, now, createdBy, lifetime is { } l ? now + (long)l.TotalMilliseconds : 0, 0, 0);
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO api_tokens (token_id, name, role, secret_hash, created_unix_ms, created_by, expires_unix_ms)
            VALUES ($id, $name, $role, $hash, $created, $by, $expires);
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$role", (int)role);
        command.Parameters.AddWithValue("$hash", TokenSecrets.Hash(secret));
        command.Parameters.AddWithValue("$created", now);
        command.Parameters.AddWithValue("$by", createdBy);
        command.Parameters.AddWithValue("$expires", record.ExpiresUnixMs);
        command.ExecuteNonQuery();
        return (record, TokenSecrets.FormatApiToken(id, secret));
    }

    /// <summary>
    /// Checks a bearer token. Returns the token when it is well-formed, known, matches its stored hash and is neither
    /// revoked nor expired; otherwise null and what is wrong. Revoked and expired are only told to a caller who holds
    /// the real secret.
    /// </summary>
    public ApiTokenRecord? Authenticate(string? presented, out string? problem)
    {
        if (!TokenSecrets.TryParseApiToken(presented, out string? id, out string? secret))
        {
            problem = "the API token is malformed; API tokens look like oa_<12 hex digits>_<32 hex digits> (opsctl api-tokens create)";
            return null;
        }

        using SqliteConnection connection = database.OpenConnection();
        (ApiTokenRecord Record, byte[] Hash)? found = Read(connection, id);
        if (found is not { } row || !TokenSecrets.Matches(secret, row.Hash))
        {
            problem = $"the API token {id} is not known to this collector (never created here, or mistyped)";
            return null;
        }

        long now = NowMs();
        ApiTokenRecord record = row.Record;
        if (record.RevokedUnixMs != 0)
        {
            problem = $"the API token {id} ({record.Name}) was revoked at {Format(record.RevokedUnixMs)}";
            return null;
        }

        if (record.ExpiresUnixMs != 0 && record.ExpiresUnixMs <= now)
        {
            problem = $"the API token {id} ({record.Name}) expired at {Format(record.ExpiresUnixMs)}";
            return null;
        }

        if (now - record.LastUsedUnixMs >= LastUsedResolution.TotalMilliseconds)
        {
            using SqliteCommand touch = connection.CreateCommand();
            touch.CommandText = "UPDATE api_tokens SET last_used_unix_ms = $now WHERE token_id = $id;";
            touch.Parameters.AddWithValue("$now", now);
            touch.Parameters.AddWithValue("$id", id);
            touch.ExecuteNonQuery();
            record = record with { LastUsedUnixMs = now };
        }

        problem = null;
        return record;
    }

    public IReadOnlyList<ApiTokenRecord> List(bool includeInactive)
    {
        long now = NowMs();
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM api_tokens ORDER BY created_unix_ms, token_id;";
        using SqliteDataReader reader = command.ExecuteReader();
        var tokens = new List<ApiTokenRecord>();
        while (reader.Read())
        {
            ApiTokenRecord record = ReadRecord(reader);
            if (includeInactive || record.IsActive(now))
            {
                tokens.Add(record);
            }
        }

        return tokens;
    }

    /// <summary>Revokes a token; returns it as it is now, or null when no token has that id.</summary>
    public ApiTokenRecord? Revoke(string id)
    {
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "UPDATE api_tokens SET revoked_unix_ms = $now WHERE token_id = $id AND revoked_unix_ms = 0;";
        command.Parameters.AddWithValue("$now", NowMs());
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
        return Read(connection, id)?.Record;
    }

    /// <summary>Whether any admin token still works: when none does, the collector writes a new bootstrap credential.</summary>
    public bool AnyActiveAdmin()
    {
        long now = NowMs();
        return List(includeInactive: false).Any(t => t.Role == Role.Admin && t.IsActive(now));
    }

    public static string? NameProblem(string name) =>
        name.Length is 0 or > MaxNameLength || name.Any(char.IsControl) || name.Trim().Length != name.Length
            ? $"a token name is 1 to {MaxNameLength} printable characters without leading or trailing spaces, e.g. alice or ci-deploy"
            : null;

    private const string Columns = "token_id, name, role, created_unix_ms, created_by, expires_unix_ms, last_used_unix_ms, revoked_unix_ms, secret_hash";

    private static (ApiTokenRecord Record, byte[] Hash)? Read(SqliteConnection connection, string id)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM api_tokens WHERE token_id = $id;";
        command.Parameters.AddWithValue("$id", id);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? (ReadRecord(reader), (byte[])reader.GetValue(8)) : null;
    }

    private static ApiTokenRecord ReadRecord(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        (Role)reader.GetInt32(2),
        reader.GetInt64(3),
        reader.GetString(4),
        reader.GetInt64(5),
        reader.GetInt64(6),
        reader.GetInt64(7));

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();

    internal static string Format(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
