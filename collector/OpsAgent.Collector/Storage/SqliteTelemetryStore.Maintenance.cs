using Microsoft.Data.Sqlite;

namespace OpsAgent.Collector.Storage;

internal sealed partial class SqliteTelemetryStore
{
    /// <summary>Series handled per retention transaction, so one maintenance pass never holds the writer for long.</summary>
    private const int RetentionSlice = 5000;

    /// <summary>A head whose window ended this long ago is closed even though no newer sample arrived.</summary>
    private const long IdleHeadGraceMs = 5 * 60 * 1000;

    private void RunMaintenance()
    {
        long now = NowUnixMs();
        QuarantineCorruptChunks();
        CloseIdleHeads(now);
        ApplyRetention(now);
        BuildRollups(now);
        ApplyRollupRetention(now);
        ForgetExpiredSeries(now);
    }

    /// <summary>
    /// Removes series that have no data left at all (their last sample is older than the downsampled retention):
    /// short-lived series (a container, a process, a removed disk) would otherwise stay in memory forever.
    /// </summary>
    private void ForgetExpiredSeries(long now)
    {
        long cutoff = SeriesState.WindowOf(now - (long)_options.DownsampledRetention.TotalMilliseconds);
        var expired = new List<SeriesState>();
        foreach (SeriesState series in _seriesList)
        {
            lock (series.Sync)
            {
                if (series.FirstMs <= series.LastMs && series.LastMs < cutoff && series.HeadCount == 0 && series.Pending is null)
                {
                    expired.Add(series);
                }
            }
        }

        if (expired.Count == 0)
        {
            return;
        }

        RunInTransaction(transaction =>
        {
            using SqliteCommand delete = _writer!.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = """
                DELETE FROM chunks WHERE series_id = $s;
                DELETE FROM rollups WHERE series_id = $s;
                DELETE FROM heads WHERE series_id = $s;
                DELETE FROM series WHERE series_id = $s;
                """;
            SqliteParameter id = delete.Parameters.Add("$s", SqliteType.Integer);
            foreach (SeriesState series in expired)
            {
                id.Value = (long)series.Id;
                delete.ExecuteNonQuery();
            }
        });
        var gone = new HashSet<SeriesState>(expired);
        foreach (SeriesState series in expired)
        {
            _seriesByKey.Remove(new SeriesKey(series.Agent.AgentKey, series.Name, series.Labels));
            _seriesById.TryRemove(series.Id, out _);
            series.Agent.SeriesCount--;
        }

        _seriesList.RemoveAll(gone.Contains);
        for (int i = 0; i < _seriesList.Count; i++)
        {
            _seriesList[i].Index = i;
        }

        // The checkpoint cursor indexes the list that just shrank: restart the round so no series is skipped.
        StartRound(now);
        LogSeriesExpired(_logger, expired.Count, DateTimeOffset.FromUnixTimeMilliseconds(cutoff));
    }

    /// <summary>
    /// Closes heads of series that stopped reporting (an agent gone, a disk unmounted), so their samples end up in a
    /// chunk and their memory is released instead of waiting forever for a sample that would close them.
    /// </summary>
    private void CloseIdleHeads(long now)
    {
        int closed = 0;
        foreach (SeriesState series in _seriesList)
        {
            lock (series.Sync)
            {
                if (series.HeadCount > 0 && now >= series.HeadWindowStart + SeriesState.WindowMs + IdleHeadGraceMs)
                {
                    _pendingChunks.Add(series.CloseHead()!);
                    closed++;
                }
            }
        }

        if (closed > 0)
        {
            RunInTransaction(_ => { });
        }
    }

    /// <summary>Deletes whole chunks whose 2-hour window ended before the retention cutoff.</summary>
    private void ApplyRetention(long now)
    {
        long cutoff = SeriesState.WindowOf(now - (long)_options.Retention.TotalMilliseconds);
        long deletedChunks = 0;
        for (int start = 0; start < _seriesList.Count; start += RetentionSlice)
        {
            int end = Math.Min(_seriesList.Count, start + RetentionSlice);
            RunInTransaction(transaction =>
            {
                using SqliteCommand delete = _writer!.CreateCommand();
                delete.Transaction = transaction;
                delete.CommandText = "DELETE FROM chunks WHERE series_id = $s AND start_ms < $cut RETURNING samples, length(data);";
                SqliteParameter seriesParameter = delete.Parameters.Add("$s", SqliteType.Integer);
                delete.Parameters.AddWithValue("$cut", cutoff);
                long chunks = 0;
                long bytes = 0;
                long samples = 0;
                for (int i = start; i < end; i++)
                {
                    SeriesState series = _seriesList[i];
                    lock (series.Sync)
                    {
                        if (series.FirstMs >= cutoff)
                        {
                            continue;
                        }
                    }

                    seriesParameter.Value = (long)series.Id;
                    using (SqliteDataReader reader = delete.ExecuteReader())
                    {
                        while (reader.Read())
                        {
                            chunks++;
                            samples += reader.GetInt64(0);
                            bytes += reader.GetInt64(1);
                        }
                    }

                    lock (series.Sync)
                    {
                        if (series.FirstMs < cutoff && series.LastMs >= cutoff)
                        {
                            series.FirstMs = cutoff;
                        }
                    }
                }

                if (chunks > 0)
                {
                    AddChunkStatistics(transaction, -chunks, -bytes, -samples);
                    deletedChunks += chunks;
                }
            });
        }

        if (deletedChunks > 0)
        {
            Counters.ChunksDeleted(deletedChunks);
            LogRetention(_logger, deletedChunks, DateTimeOffset.FromUnixTimeMilliseconds(cutoff));
        }
    }

    /// <summary>Chunks a query found corrupt: moved to the quarantine table by the writer, which owns all writes.</summary>
    private void QuarantineCorruptChunks()
    {
        var seen = new HashSet<long>();
        while (_corruptChunks.TryDequeue(out long chunkId))
        {
            if (!seen.Add(chunkId))
            {
                continue;
            }

            byte[]? data = null;
            string reason = "failed to decode when read by a query";
            using (SqliteCommand read = _writer!.CreateCommand())
            {
                read.CommandText = "SELECT data, samples FROM chunks WHERE chunk_id = $id;";
                read.Parameters.AddWithValue("$id", chunkId);
                using SqliteDataReader reader = read.ExecuteReader();
                if (!reader.Read())
                {
                    continue;
                }

                data = (byte[])reader.GetValue(0);
                Interlocked.Add(ref _chunkSamples, -reader.GetInt64(1));
                Interlocked.Add(ref _chunkBytes, -data.Length);
                Interlocked.Decrement(ref _chunkCount);
            }

            Quarantine("chunk", chunkId, reason, data, "DELETE FROM chunks WHERE chunk_id = $id;");
        }
    }
}
