using Microsoft.Data.Sqlite;
using OpsAgent.Collector.Storage.Chunks;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Storage;

internal sealed partial class SqliteTelemetryStore
{
    // Everything below is touched by the writer only (and by recovery before the writer starts).
    private readonly Dictionary<SeriesKey, SeriesState> _seriesByKey;
    private readonly Dictionary<SeriesKey, SeriesState>.AlternateLookup<SeriesLookup> _seriesLookup;
    private readonly List<SeriesState> _seriesList = [];
    private readonly Dictionary<string, AgentSequenceState> _agentsById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly List<PendingChunk> _pendingChunks = [];
    private readonly ByteWriter _walWriter = new(1 << 16);
    private readonly ByteWriter _chunkWriter = new(4096);
    private SqliteConnection? _writer;
    private WriterCommands? _commands;
    private bool _needsRecovery;
    private long _lastAppliedWal;

    private async Task RunWriterAsync()
    {
        var group = new List<AppendRequest>(_options.MaxBatchesPerCommit);
        var reader = _requests.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            group.Clear();
            long samples = 0;
            ControlRequest? control = null;
            while (group.Count < _options.MaxBatchesPerCommit && samples < _options.MaxSamplesPerCommit && reader.TryRead(out WriterRequest? request))
            {
                if (request is ControlRequest c)
                {
                    control = c;
                    break;
                }

                var append = (AppendRequest)request;
                group.Add(append);
                samples += append.SampleCount;
            }

            Counters.QueueDepthChanged(-group.Count);
            if (_needsRecovery && !TryRecoverAfterFailure())
            {
                var failure = new StorageUnavailableException(
                    $"The telemetry store cannot write to '{_database.FilePath}' and could not reload its state; see the earlier errors. The batch was not stored and will be resent by its agent.");
                foreach (AppendRequest request in group)
                {
                    request.Completion.TrySetException(failure);
                }

                control?.Completion.TrySetException(failure);
                continue;
            }

            try
            {
                if (group.Count > 0)
                {
                    CommitGroup(group);
                }

                if (control is not null)
                {
                    RunControl(control);
                }
            }
            catch (Exception ex)
            {
                // A bug must not kill the writer: every later append would wait forever. Fail this group (its
                // agents resend), reload the state from the database, and go on.
                LogWriterFault(_logger, ex);
                _needsRecovery = true;
                foreach (AppendRequest request in group)
                {
                    request.Completion.TrySetException(ex);
                }

                control?.Completion.TrySetException(ex);
            }
        }
    }

    private void RunControl(ControlRequest control)
    {
        try
        {
            switch (control.Kind)
            {
                case ControlKind.CheckpointSlice:
                    RunInTransaction(tx => CheckpointSlice(tx, force: false));
                    break;
                case ControlKind.FullCheckpoint:
                    FullCheckpoint();
                    break;
                case ControlKind.Maintenance:
                    RunMaintenance();
                    break;
            }

            control.Completion.TrySetResult();
        }
        catch (Exception ex)
        {
            LogControlFailed(_logger, ex, control.Kind);
            _needsRecovery = true;
            control.Completion.TrySetException(ex);
        }
    }

    private void CommitGroup(List<AppendRequest> group)
    {
        long started = _time.GetTimestamp();
        long nowMs = NowUnixMs();
        SqliteConnection connection = _writer!;
        WriterCommands commands = _commands!;
        long walId = 0;
        int duplicates = 0;
        long samples = 0;
        List<PendingChunk>? persisted = null;
        SqliteTransaction transaction = connection.BeginTransaction();
        try
        {
            persisted = PersistPendingChunks(transaction);
            ApplyForgets(transaction);
            WriteAheadCodec.Begin(_walWriter, out WriteAheadCursor cursor);
            foreach (AppendRequest request in group)
            {
                AgentSequenceState agent = GetOrCreateAgent(request.AgentId, transaction);
                TelemetryBatch batch = request.Batch;
                if (agent.Contains(batch.Sequence))
                {
                    duplicates++;
                    continue;
                }

                agent.Add(batch.Sequence);
                var resolved = new SeriesState?[batch.Metrics.Count];
                for (int i = 0; i < batch.Metrics.Count; i++)
                {
                    MetricSeries metric = batch.Metrics[i];
                    int n = Math.Min(metric.TimestampsUnixMs.Count, metric.Values.Count);
                    if (n == 0)
                    {
                        continue;
                    }

                    SeriesState? series = ResolveSeries(agent, metric, transaction);
                    if (series is null)
                    {
                        request.SeriesRejected++;
                        request.FirstRejectedSeries ??= metric.Name;
                        continue;
                    }

                    resolved[i] = series;
                    WriteAheadCodec.WriteEntry(_walWriter, ref cursor, series, metric.TimestampsUnixMs, metric.Values, n);
                    samples += n;
                }

                request.Series = resolved;
                if (_sinks.Length > 0)
                {
                    var context = new BatchSinkContext(connection, transaction, request.AgentId, agent.AgentKey, nowMs);
                    foreach (IBatchSink sink in _sinks)
                    {
                        sink.Write(context, batch);
                    }
                }
            }

            if (cursor.Entries > 0)
            {
                WriteAheadCodec.End(_walWriter);
                walId = commands.InsertWal(transaction, _walWriter.WrittenSpan);
                _walBytesInRound += _walWriter.Length;
                Counters.WriteAheadWritten(_walWriter.Length);
            }

            PersistAgentSequences(transaction);
            CheckpointSlice(transaction, force: false);
            transaction.Commit();
        }
        catch (Exception ex)
        {
            RollBackQuietly(transaction);
            Counters.CommitFailed();
            LogCommitFailed(_logger, ex, group.Count, _database.FilePath);
            _needsRecovery = true;
            var failure = new StorageUnavailableException(
                $"Could not commit {group.Count} batches to '{_database.FilePath}': {ex.Message} They were not stored; their agents will resend them.",
                ex);
            foreach (AppendRequest request in group)
            {
                request.Completion.TrySetException(failure);
            }

            return;
        }
        finally
        {
            transaction.Dispose();
        }

        ForgetPersisted(persisted);
        long outOfOrder = 0;
        foreach (AppendRequest request in group)
        {
            if (request.Series is not { } resolved)
            {
                continue;
            }

            for (int i = 0; i < resolved.Length; i++)
            {
                if (resolved[i] is { } series)
                {
                    MetricSeries metric = request.Batch.Metrics[i];
                    outOfOrder += AppendToHead(series, metric.TimestampsUnixMs, metric.Values, walId);
                }
            }
        }

        if (walId != 0)
        {
            _lastAppliedWal = walId;
        }

        if (outOfOrder > 0)
        {
            Counters.OutOfOrder(outOfOrder);
        }

        double seconds = _time.GetElapsedTime(started).TotalSeconds;
        Counters.Committed(group.Count - duplicates, duplicates, samples, seconds);
        foreach (AppendRequest request in group)
        {
            if (request.Series is { } resolved)
            {
                int stored = 0;
                ulong[]? ids = _observers.Length > 0 ? new ulong[resolved.Length] : null;
                for (int i = 0; i < resolved.Length; i++)
                {
                    if (resolved[i] is { } series)
                    {
                        ids?[i] = series.Id;
                        stored += Math.Min(request.Batch.Metrics[i].TimestampsUnixMs.Count, request.Batch.Metrics[i].Values.Count);
                    }
                }

                request.Series = null; // let the series array go with the request
                request.Completion.TrySetResult(new AppendResult(AppendStatus.Stored, stored, request.SeriesRejected, request.FirstRejectedSeries));
                if (ids is not null)
                {
                    var committed = new CommittedBatch(request.AgentId, request.Batch, ids);
                    foreach (ObserverPump pump in _observers)
                    {
                        pump.TryPost(committed);
                    }
                }
            }
            else
            {
                request.Completion.TrySetResult(new AppendResult(AppendStatus.Duplicate, 0));
            }
        }
    }

    /// <summary>Appends committed samples to the series head; returns how many were out of order.</summary>
    private long AppendToHead(SeriesState series, IReadOnlyList<long> timestamps, IReadOnlyList<double> values, long walId)
    {
        int n = Math.Min(timestamps.Count, values.Count);
        long outOfOrder = 0;
        lock (series.Sync)
        {
            for (int i = 0; i < n; i++)
            {
                PendingChunk? closed = series.Append(timestamps[i], values[i], walId, _options.MaxSamplesPerChunk, out bool late);
                if (closed is not null)
                {
                    _pendingChunks.Add(closed);
                }

                outOfOrder += late ? 1 : 0;
            }
        }

        return outOfOrder;
    }

    /// <summary>
    /// Inserts chunks closed since the last commit and records, in their series' head row, how far they persist it.
    /// The head row loses its snapshot: the open head now starts after the chunk, and replay restores it.
    /// </summary>
    private List<PendingChunk>? PersistPendingChunks(SqliteTransaction transaction)
    {
        if (_pendingChunks.Count == 0)
        {
            return null;
        }

        WriterCommands commands = _commands!;
        var persisted = new List<PendingChunk>(_pendingChunks);
        long bytes = 0;
        long samples = 0;
        foreach (PendingChunk chunk in persisted)
        {
            _chunkWriter.Reset();
            ChunkCodec.Encode(chunk.Timestamps.AsSpan(0, chunk.Count), chunk.Values.AsSpan(0, chunk.Count), _chunkWriter);
            long start = chunk.StartMs;
            long end = chunk.Timestamps[chunk.Count - 1];
            long rowId = commands.InsertChunk(transaction, chunk.Series.Id, start, end, chunk.Count, _chunkWriter.WrittenSpan);
            chunk.RowId = rowId;
            commands.UpsertHead(transaction, chunk.Series, chunk.FrontierWal, chunk.FrontierSkip, null);
            bytes += _chunkWriter.Length;
            samples += chunk.Count;
            Counters.ChunkWritten(_chunkWriter.Length);
        }

        _pendingChunks.Clear();
        AddChunkStatistics(transaction, persisted.Count, bytes, samples);
        return persisted;
    }

    /// <summary>After commit: committed chunks are read from the database from now on.</summary>
    private void ForgetPersisted(List<PendingChunk>? persisted)
    {
        if (persisted is null)
        {
            return;
        }

        foreach (PendingChunk chunk in persisted)
        {
            lock (chunk.Series.Sync)
            {
                chunk.Series.Pending?.Remove(chunk);
                if (chunk.Series.Pending is { Count: 0 })
                {
                    chunk.Series.Pending = null;
                }
            }
        }
    }

    private void AddChunkStatistics(SqliteTransaction transaction, long chunks, long bytes, long samples)
    {
        long count = Interlocked.Add(ref _chunkCount, chunks);
        long totalBytes = Interlocked.Add(ref _chunkBytes, bytes);
        long totalSamples = Interlocked.Add(ref _chunkSamples, samples);
        _commands!.SetState(transaction, "chunk_count", count);
        _commands.SetState(transaction, "chunk_bytes", totalBytes);
        _commands.SetState(transaction, "chunk_samples", totalSamples);
    }

    private void ApplyForgets(SqliteTransaction transaction)
    {
        while (_forgets.TryDequeue(out (string AgentId, ulong Sequence) forget))
        {
            GetOrCreateAgent(forget.AgentId, transaction).ForgetBelow(forget.Sequence);
        }
    }

    private AgentSequenceState GetOrCreateAgent(string agentId, SqliteTransaction transaction)
    {
        if (_agentsById.TryGetValue(agentId, out AgentSequenceState? agent))
        {
            return agent;
        }

        long key = _commands!.InsertAgentKey(transaction, agentId);
        agent = new AgentSequenceState(key, agentId, 0);
        _agentsById.Add(agentId, agent);
        return agent;
    }

    /// <summary>The series of <paramref name="metric"/>, created when new; null when new and the agent has its maximum already.</summary>
    private SeriesState? ResolveSeries(AgentSequenceState agent, MetricSeries metric, SqliteTransaction transaction)
    {
        if (_seriesLookup.TryGetValue(new SeriesLookup(agent.AgentKey, metric), out SeriesState? existing))
        {
            return existing;
        }

        if (agent.SeriesCount >= _options.MaxSeriesPerAgent)
        {
            return null;
        }

        SeriesKey key = SeriesKeyComparer.Instance.Create(new SeriesLookup(agent.AgentKey, metric));
        if (!_names.TryGetValue(key.Name, out string? name))
        {
            name = key.Name;
            _names.Add(name, name);
        }

        key = key with { Name = name };
        string unit = string.IsInterned(metric.Unit) ?? metric.Unit;
        ulong id = _commands!.InsertSeries(transaction, agent.AgentKey, name, key.Labels, metric.Kind, unit);
        var series = new SeriesState(id, agent, name, key.Labels, metric.Kind, unit) { Index = _seriesList.Count };
        _seriesByKey.Add(key, series);
        _seriesList.Add(series);
        _seriesById[id] = series;
        agent.SeriesCount++;
        return series;
    }

    private void PersistAgentSequences(SqliteTransaction transaction)
    {
        foreach (AgentSequenceState agent in _agentsById.Values)
        {
            if (agent.Dirty)
            {
                _commands!.SaveSequences(transaction, agent);
                agent.Dirty = false;
            }
        }
    }

    private void RunInTransaction(Action<SqliteTransaction> action)
    {
        SqliteTransaction transaction = _writer!.BeginTransaction();
        try
        {
            List<PendingChunk>? persisted = PersistPendingChunks(transaction);
            action(transaction);
            transaction.Commit();
            ForgetPersisted(persisted);
        }
        catch
        {
            RollBackQuietly(transaction);
            throw;
        }
        finally
        {
            transaction.Dispose();
        }
    }

    private void RollBackQuietly(SqliteTransaction transaction)
    {
        try
        {
            transaction.Rollback();
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            LogRollbackFailed(_logger, ex);
        }
    }

    private void CloseWriterConnection()
    {
        _commands?.Dispose();
        _commands = null;
        _writer?.Dispose();
        _writer = null;
    }
}
