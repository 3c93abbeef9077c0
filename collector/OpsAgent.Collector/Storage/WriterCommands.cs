using Microsoft.Data.Sqlite;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Storage;

/// <summary>The writer's prepared statements, created once per connection and reused for every commit.</summary>
internal sealed class WriterCommands : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insertWal;
    private readonly SqliteCommand _insertChunk;
    private readonly SqliteCommand _upsertHead;
    private readonly SqliteCommand _insertSeries;
    private readonly SqliteCommand _insertAgentKey;
    private readonly SqliteCommand _setFloor;
    private readonly SqliteCommand _deleteRanges;
    private readonly SqliteCommand _insertRange;
    private readonly SqliteCommand _setState;

    public WriterCommands(SqliteConnection connection)
    {
        _connection = connection;
        _insertWal = Prepare(connection, "INSERT INTO wal (data) VALUES (zeroblob($length)) RETURNING wal_id;", "$length");
        _insertChunk = Prepare(
            connection,
            "INSERT INTO chunks (series_id, start_ms, end_ms, samples, data) VALUES ($s, $start, $end, $n, $data) RETURNING chunk_id;",
            "$s", "$start", "$end", "$n", "$data");
        _upsertHead = Prepare(
            connection,
            """
            INSERT INTO heads (series_id, wal_id, wal_skip, first_ms, last_ms, data) VALUES ($s, $w, $k, $first, $last, $data)
            ON CONFLICT (series_id) DO UPDATE SET wal_id = excluded.wal_id, wal_skip = excluded.wal_skip,
                first_ms = excluded.first_ms, last_ms = excluded.last_ms, data = excluded.data;
            """,
            "$s", "$w", "$k", "$first", "$last", "$data");
        _insertSeries = Prepare(
            connection,
            "INSERT INTO series (agent_key, name, labels, kind, unit) VALUES ($a, $name, $labels, $kind, $unit) RETURNING series_id;",
            "$a", "$name", "$labels", "$kind", "$unit");
        _insertAgentKey = Prepare(connection, "INSERT INTO agent_keys (agent_id, sequence_floor) VALUES ($id, 0) RETURNING agent_key;", "$id");
        _setFloor = Prepare(connection, "UPDATE agent_keys SET sequence_floor = $f WHERE agent_key = $a;", "$f", "$a");
        _deleteRanges = Prepare(connection, "DELETE FROM sequence_ranges WHERE agent_key = $a;", "$a");
        _insertRange = Prepare(connection, "INSERT INTO sequence_ranges (agent_key, lo, hi) VALUES ($a, $lo, $hi);", "$a", "$lo", "$hi");
        _setState = Prepare(
            connection,
            "INSERT INTO store_state (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value;",
            "$k", "$v");
    }

    /// <summary>
    /// Inserts a write-ahead record. The blob is written through SQLite's incremental blob I/O from the reused
    /// buffer: a record holds a whole group commit (megabytes at full rate), and copying it into a fresh array per
    /// commit would put it on the large object heap and trigger full garbage collections.
    /// </summary>
    public long InsertWal(SqliteTransaction transaction, ReadOnlySpan<byte> data)
    {
        _insertWal.Transaction = transaction;
        _insertWal.Parameters[0].Value = data.Length;
        long walId = (long)_insertWal.ExecuteScalar()!;
        using var blob = new SqliteBlob(_connection, "wal", "data", walId);
        blob.Write(data);
        return walId;
    }

    public long InsertChunk(SqliteTransaction transaction, ulong seriesId, long start, long end, int samples, ReadOnlySpan<byte> data)
    {
        _insertChunk.Transaction = transaction;
        _insertChunk.Parameters[0].Value = (long)seriesId;
        _insertChunk.Parameters[1].Value = start;
        _insertChunk.Parameters[2].Value = end;
        _insertChunk.Parameters[3].Value = samples;
        _insertChunk.Parameters[4].Value = data.ToArray();
        return (long)_insertChunk.ExecuteScalar()!;
    }

    public void UpsertHead(SqliteTransaction transaction, SeriesState series, long walId, int walSkip, byte[]? data)
    {
        _upsertHead.Transaction = transaction;
        _upsertHead.Parameters[0].Value = (long)series.Id;
        _upsertHead.Parameters[1].Value = walId;
        _upsertHead.Parameters[2].Value = walSkip;
        _upsertHead.Parameters[3].Value = series.FirstMs <= series.LastMs ? series.FirstMs : 0;
        _upsertHead.Parameters[4].Value = series.FirstMs <= series.LastMs ? series.LastMs : 0;
        _upsertHead.Parameters[5].Value = (object?)data ?? DBNull.Value;
        _upsertHead.ExecuteNonQuery();
    }

    public ulong InsertSeries(SqliteTransaction transaction, long agentKey, string name, string[] labels, MetricKind kind, string unit)
    {
        _insertSeries.Transaction = transaction;
        _insertSeries.Parameters[0].Value = agentKey;
        _insertSeries.Parameters[1].Value = name;
        _insertSeries.Parameters[2].Value = LabelCodec.Encode(labels);
        _insertSeries.Parameters[3].Value = (int)kind;
        _insertSeries.Parameters[4].Value = unit;
        return (ulong)(long)_insertSeries.ExecuteScalar()!;
    }

    public long InsertAgentKey(SqliteTransaction transaction, string agentId)
    {
        _insertAgentKey.Transaction = transaction;
        _insertAgentKey.Parameters[0].Value = agentId;
        return (long)_insertAgentKey.ExecuteScalar()!;
    }

    public void SaveSequences(SqliteTransaction transaction, AgentSequenceState agent)
    {
        _setFloor.Transaction = transaction;
        _setFloor.Parameters[0].Value = unchecked((long)agent.Floor);
        _setFloor.Parameters[1].Value = agent.AgentKey;
        _setFloor.ExecuteNonQuery();
        _deleteRanges.Transaction = transaction;
        _deleteRanges.Parameters[0].Value = agent.AgentKey;
        _deleteRanges.ExecuteNonQuery();
        _insertRange.Transaction = transaction;
        foreach ((ulong lo, ulong hi) in agent.Ranges)
        {
            _insertRange.Parameters[0].Value = agent.AgentKey;
            _insertRange.Parameters[1].Value = unchecked((long)lo);
            _insertRange.Parameters[2].Value = unchecked((long)hi);
            _insertRange.ExecuteNonQuery();
        }
    }

    public void SetState(SqliteTransaction transaction, string key, long value)
    {
        _setState.Transaction = transaction;
        _setState.Parameters[0].Value = key;
        _setState.Parameters[1].Value = value;
        _setState.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (SqliteCommand command in (SqliteCommand[])[_insertWal, _insertChunk, _upsertHead, _insertSeries, _insertAgentKey, _setFloor, _deleteRanges, _insertRange, _setState])
        {
            command.Dispose();
        }
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (string name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }
}
