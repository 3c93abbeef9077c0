using Microsoft.Data.Sqlite;
using OpsAgent.Collector.Storage.Chunks;

namespace OpsAgent.Collector.Storage;

internal sealed partial class SqliteTelemetryStore
{
    private long _roundStartWal;
    private long _roundStartedUnixMs;
    private int _checkpointCursor;
    private long _walBytesInRound;

    /// <summary>
    /// Persists the next slice of the checkpoint round: the round visits every series once per
    /// <see cref="StorageOptions.CheckpointInterval"/>, spread over the commits in that interval so no single commit
    /// stalls ingestion. A series whose head changed since its last snapshot is written; the others cost nothing.
    /// When the round has visited every series, every sample from write-ahead records up to the round's start is in a
    /// chunk or a head snapshot, so those records are deleted.
    /// </summary>
    private void CheckpointSlice(SqliteTransaction transaction, bool force)
    {
        long now = NowUnixMs();
        double interval = _options.CheckpointInterval.TotalMilliseconds;
        double elapsed = Math.Max(0, now - _roundStartedUnixMs);
        bool urgent = force || _walBytesInRound > _options.MaxWriteAheadBytes;
        int total = _seriesList.Count;
        int target = urgent ? total : (int)Math.Min(total, Math.Ceiling(total * (elapsed / interval)));
        while (_checkpointCursor < target)
        {
            SnapshotHead(transaction, _seriesList[_checkpointCursor++]);
        }

        if (_checkpointCursor >= total && (urgent || elapsed >= interval))
        {
            CompleteRound(transaction, now);
        }
    }

    private void SnapshotHead(SqliteTransaction transaction, SeriesState series)
    {
        byte[]? data;
        long walId;
        int walSkip;
        lock (series.Sync)
        {
            if (!series.Dirty)
            {
                return;
            }

            data = series.HeadCount == 0 ? null : ChunkCodec.Encode(series.HeadTimestamps, series.HeadValues);
            walId = series.AppendedWal;
            walSkip = series.AppendedInWal;
            series.Dirty = false;
        }

        _commands!.UpsertHead(transaction, series, walId, walSkip, data);
        Counters.HeadSnapshotWritten(data?.Length ?? 0);
    }

    private void CompleteRound(SqliteTransaction transaction, long now)
    {
        if (_roundStartWal > 0)
        {
            using SqliteCommand delete = _writer!.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM wal WHERE wal_id <= $w;";
            delete.Parameters.AddWithValue("$w", _roundStartWal);
            delete.ExecuteNonQuery();
        }

        Counters.CheckpointRoundCompleted();
        StartRound(now);
    }

    private void StartRound(long now)
    {
        _roundStartWal = _lastAppliedWal;
        _roundStartedUnixMs = now;
        _checkpointCursor = 0;
        _walBytesInRound = 0;
    }

    /// <summary>Restarts the round now and completes it in one transaction: no write-ahead record is left.</summary>
    private void FullCheckpoint()
    {
        StartRound(NowUnixMs());
        RunInTransaction(tx => CheckpointSlice(tx, force: true));
        try
        {
            SqliteDatabase.Execute(_writer!, "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);");
        }
        catch (SqliteException ex)
        {
            // Another connection reading at this moment keeps the log; it is truncated at a later checkpoint.
            LogVacuumSkipped(_logger, ex.Message);
        }
    }
}
