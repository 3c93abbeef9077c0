using Microsoft.Data.Sqlite;
using OpsAgent.Collector.Storage.Chunks;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Storage;

internal sealed partial class SqliteTelemetryStore
{
    /// <summary>
    /// Rebuilds the in-memory state from the database: agents and their exactly-once ranges, series, head snapshots,
    /// then the write-ahead records in order, appending only samples past each series' persisted frontier.
    /// A record that fails to decode is quarantined and skipped; the rest is recovered.
    /// </summary>
    private void Recover()
    {
        CloseWriterConnection();
        _seriesByKey.Clear();
        _seriesList.Clear();
        _seriesById.Clear();
        _agentsById.Clear();
        _pendingChunks.Clear();
        _writer = _database.OpenConnection();
        _commands = new WriterCommands(_writer);
        var agentsByKey = new Dictionary<long, AgentSequenceState>();
        using (SqliteCommand command = _writer.CreateCommand())
        {
            command.CommandText = "SELECT agent_key, agent_id, sequence_floor FROM agent_keys;";
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                var agent = new AgentSequenceState(reader.GetInt64(0), reader.GetString(1), unchecked((ulong)reader.GetInt64(2)));
                agentsByKey.Add(agent.AgentKey, agent);
                _agentsById.Add(agent.AgentId, agent);
            }
        }

        using (SqliteCommand command = _writer.CreateCommand())
        {
            command.CommandText = "SELECT agent_key, lo, hi FROM sequence_ranges ORDER BY agent_key, lo;";
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (agentsByKey.TryGetValue(reader.GetInt64(0), out AgentSequenceState? agent))
                {
                    agent.LoadRange(unchecked((ulong)reader.GetInt64(1)), unchecked((ulong)reader.GetInt64(2)));
                }
            }
        }

        LoadSeries(agentsByKey);
        var corruptHeads = new List<(long SeriesId, string Reason, byte[] Data)>();
        using (SqliteCommand command = _writer.CreateCommand())
        {
            command.CommandText = "SELECT series_id, wal_id, wal_skip, first_ms, last_ms, data FROM heads;";
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (!_seriesById.TryGetValue(unchecked((ulong)reader.GetInt64(0)), out SeriesState? series))
                {
                    continue;
                }

                series.FrontierWal = series.AppendedWal = reader.GetInt64(1);
                series.FrontierSkip = series.AppendedInWal = reader.GetInt32(2);
                long first = reader.GetInt64(3);
                long last = reader.GetInt64(4);
                if (first <= last && !(first == 0 && last == 0))
                {
                    series.FirstMs = first;
                    series.LastMs = last;
                }

                if (reader.IsDBNull(5))
                {
                    continue;
                }

                byte[] data = (byte[])reader.GetValue(5);
                try
                {
                    (long[] timestamps, double[] values) = ChunkCodec.Decode(data);
                    series.LoadHead(timestamps, values);
                }
                catch (ChunkFormatException ex)
                {
                    corruptHeads.Add((reader.GetInt64(0), ex.Message, data));
                }
            }
        }

        foreach ((long seriesId, string reason, byte[] data) in corruptHeads)
        {
            Quarantine("head", seriesId, reason, data, "UPDATE heads SET data = NULL WHERE series_id = $id;");
        }

        LoadStatistics();
        ReplayWriteAhead();
        StartRound(NowUnixMs());
        LogRecovered(_logger, _seriesList.Count, _agentsById.Count, _pendingChunks.Count);
    }

    private void LoadSeries(Dictionary<long, AgentSequenceState> agentsByKey)
    {
        using SqliteCommand command = _writer!.CreateCommand();
        command.CommandText = "SELECT series_id, agent_key, name, labels, kind, unit FROM series ORDER BY series_id;";
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            long id = reader.GetInt64(0);
            if (!agentsByKey.TryGetValue(reader.GetInt64(1), out AgentSequenceState? agent))
            {
                LogSeriesSkipped(_logger, id, "its agent key is unknown");
                continue;
            }

            string[] labels;
            try
            {
                labels = LabelCodec.Decode((byte[])reader.GetValue(3));
            }
            catch (ChunkFormatException ex)
            {
                LogSeriesSkipped(_logger, id, ex.Message);
                Counters.Corrupt();
                continue;
            }

            string name = reader.GetString(2);
            if (!_names.TryGetValue(name, out string? interned))
            {
                _names.Add(name, name);
                interned = name;
            }

            var series = new SeriesState(unchecked((ulong)id), agent, interned, labels, (MetricKind)reader.GetInt32(4), reader.GetString(5))
            {
                Index = _seriesList.Count,
            };
            if (_seriesByKey.TryAdd(new SeriesKey(agent.AgentKey, interned, labels), series))
            {
                _seriesList.Add(series);
                _seriesById[series.Id] = series;
                agent.SeriesCount++;
            }
        }
    }

    private void LoadStatistics()
    {
        using SqliteCommand command = _writer!.CreateCommand();
        command.CommandText = "SELECT key, value FROM store_state WHERE key IN ('chunk_count', 'chunk_bytes', 'chunk_samples');";
        using SqliteDataReader reader = command.ExecuteReader();
        _chunkCount = _chunkBytes = _chunkSamples = 0;
        while (reader.Read())
        {
            long value = reader.GetInt64(1);
            switch (reader.GetString(0))
            {
                case "chunk_count":
                    _chunkCount = value;
                    break;
                case "chunk_bytes":
                    _chunkBytes = value;
                    break;
                default:
                    _chunkSamples = value;
                    break;
            }
        }
    }

    private void ReplayWriteAhead()
    {
        _lastAppliedWal = SqliteDatabase.Scalar<long>(_writer!, "SELECT seq FROM sqlite_sequence WHERE name = 'wal';");
        var rows = new List<long>();
        using (SqliteCommand ids = _writer!.CreateCommand())
        {
            ids.CommandText = "SELECT wal_id FROM wal ORDER BY wal_id;";
            using SqliteDataReader reader = ids.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(reader.GetInt64(0));
            }
        }

        using SqliteCommand read = _writer.CreateCommand();
        read.CommandText = "SELECT data FROM wal WHERE wal_id = $id;";
        SqliteParameter idParameter = read.Parameters.Add("$id", SqliteType.Integer);
        long replayed = 0;
        foreach (long walId in rows)
        {
            idParameter.Value = walId;
            byte[] data = (byte[])read.ExecuteScalar()!;
            List<WriteAheadEntry> entries;
            try
            {
                entries = WriteAheadCodec.Read(data);
            }
            catch (ChunkFormatException ex)
            {
                Quarantine("wal", walId, ex.Message, data, "DELETE FROM wal WHERE wal_id = $id;");
                continue;
            }

            foreach (WriteAheadEntry entry in entries)
            {
                if (!_seriesById.TryGetValue(entry.SeriesId, out SeriesState? series))
                {
                    continue; // deleted by retention after the record was written
                }

                lock (series.Sync)
                {
                    if (series.ReplayWal != walId)
                    {
                        series.ReplayWal = walId;
                        series.ReplayIndex = 0;
                    }

                    for (int i = 0; i < entry.Timestamps.Length; i++)
                    {
                        int index = series.ReplayIndex++;
                        if (walId < series.FrontierWal || (walId == series.FrontierWal && index < series.FrontierSkip))
                        {
                            continue;
                        }

                        PendingChunk? closed = series.Append(entry.Timestamps[i], entry.Values[i], walId, _options.MaxSamplesPerChunk, out _);
                        if (closed is not null)
                        {
                            _pendingChunks.Add(closed);
                        }

                        replayed++;
                    }
                }
            }
        }

        if (rows.Count > 0)
        {
            _lastAppliedWal = Math.Max(_lastAppliedWal, rows[^1]);
            LogReplayed(_logger, rows.Count, replayed);
        }
    }

    /// <summary>Moves a record that does not decode aside, with why, so it is neither lost nor read again.</summary>
    private void Quarantine(string kind, long sourceId, string reason, byte[]? data, string removeSql)
    {
        Counters.Corrupt();
        LogQuarantined(_logger, kind, sourceId, _database.FilePath, reason);
        using SqliteTransaction transaction = _writer!.BeginTransaction();
        using (SqliteCommand insert = _writer.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO quarantine (kind, source_id, reason, quarantined_unix_ms, data) VALUES ($k, $id, $r, $t, $d);";
            insert.Parameters.AddWithValue("$k", kind);
            insert.Parameters.AddWithValue("$id", sourceId);
            insert.Parameters.AddWithValue("$r", reason);
            insert.Parameters.AddWithValue("$t", NowUnixMs());
            insert.Parameters.AddWithValue("$d", (object?)data ?? DBNull.Value);
            insert.ExecuteNonQuery();
        }

        using (SqliteCommand remove = _writer.CreateCommand())
        {
            remove.Transaction = transaction;
            remove.CommandText = removeSql;
            remove.Parameters.AddWithValue("$id", sourceId);
            remove.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>After a failed commit, memory may hold series or sequences that were rolled back: reload everything.</summary>
    private bool TryRecoverAfterFailure()
    {
        try
        {
            Recover();
            _needsRecovery = false;
            return true;
        }
        catch (Exception ex) when (ex is SqliteException or StorageUnavailableException or IOException or ChunkFormatException)
        {
            LogRecoveryFailed(_logger, ex, _database.FilePath);
            return false;
        }
    }
}
