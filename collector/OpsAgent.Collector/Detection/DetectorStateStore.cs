using Microsoft.Data.Sqlite;
using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Detection;

/// <summary>
/// Saved detector states in the store (<c>detector_state</c>), read and written by one detection worker on its own
/// connection. Saves go in transactions of a bounded size, so that a checkpoint never holds SQLite's write lock long
/// enough to stall ingest (the telemetry writer waits for it).
/// </summary>
internal sealed class DetectorStateStore : IDisposable
{
    /// <summary>States per transaction: about 6 MiB, a few tens of milliseconds of write lock.</summary>
    public const int SavesPerTransaction = 256;

    private readonly SqliteDatabase _database;
    private SqliteConnection? _connection;

    public DetectorStateStore(SqliteDatabase database)
    {
        _database = database;
    }

    private SqliteConnection Connection => _connection ??= _database.OpenConnection();

    /// <summary>Ids of every series with a saved state whose id falls in this worker's partition.</summary>
    public HashSet<ulong> ListIds(int partitions, int partition)
    {
        var ids = new HashSet<ulong>();
        using SqliteCommand command = Connection.CreateCommand();
        command.CommandText = "SELECT series_id FROM detector_state WHERE series_id % $n = $p;";
        command.Parameters.AddWithValue("$n", partitions);
        command.Parameters.AddWithValue("$p", partition);
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add((ulong)reader.GetInt64(0));
        }

        return ids;
    }

    public byte[]? Load(ulong seriesId)
    {
        using SqliteCommand command = Connection.CreateCommand();
        command.CommandText = "SELECT data FROM detector_state WHERE series_id = $id;";
        command.Parameters.AddWithValue("$id", (long)seriesId);
        return command.ExecuteScalar() as byte[];
    }

    /// <summary>Writes the states in transactions of at most <see cref="SavesPerTransaction"/>.</summary>
    public void Save(IReadOnlyList<(ulong SeriesId, byte[] State)> states, long nowUnixMs)
    {
        for (int start = 0; start < states.Count; start += SavesPerTransaction)
        {
            using SqliteTransaction transaction = Connection.BeginTransaction();
            using SqliteCommand command = Connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO detector_state (series_id, saved_unix_ms, data) VALUES ($id, $t, $d)
                ON CONFLICT (series_id) DO UPDATE SET saved_unix_ms = excluded.saved_unix_ms, data = excluded.data;
                """;
            SqliteParameter id = command.Parameters.Add("$id", SqliteType.Integer);
            command.Parameters.AddWithValue("$t", nowUnixMs);
            SqliteParameter data = command.Parameters.Add("$d", SqliteType.Blob);
            for (int i = start; i < Math.Min(states.Count, start + SavesPerTransaction); i++)
            {
                id.Value = (long)states[i].SeriesId;
                data.Value = states[i].State;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    public void Delete(ulong seriesId)
    {
        using SqliteCommand command = Connection.CreateCommand();
        command.CommandText = "DELETE FROM detector_state WHERE series_id = $id;";
        command.Parameters.AddWithValue("$id", (long)seriesId);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _connection = null;
    }
}
