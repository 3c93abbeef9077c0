using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Storage.Chunks;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Storage;

/// <summary>
/// The embedded time-series store: one SQLite file, a single writer with group commit behind a bounded queue,
/// series kept as compressed chunks (see <see cref="ChunkCodec"/>).
/// </summary>
/// <remarks>
/// <para>Write path. <see cref="AppendAsync"/> queues the batch (waiting when the queue is full: that wait is the
/// backpressure the gateway passes on to agents). The writer takes many batches at once and, in one transaction,
/// checks each (agent, sequence) against the exactly-once ranges, writes all their samples as one compact
/// write-ahead record, lets <see cref="IBatchSink"/>s store the other parts, and commits. Only then are samples
/// appended to in-memory heads and the callers released, so an acknowledged batch is on disk.</para>
/// <para>Why a write-ahead record instead of writing chunks directly: at one sample per series per batch, persisting
/// each head on every commit would rewrite a row per series per second; one record per commit is a single insert.
/// Heads are persisted by a paced checkpoint round (a slice of series per commit); when a round has visited every
/// series, the records it covers are deleted. Each chunk and head snapshot records how far it persists its series
/// (write-ahead id and sample count within that record), so recovery replays exactly the samples not yet in them.</para>
/// </remarks>
internal sealed partial class SqliteTelemetryStore : ITelemetryStore, IAsyncDisposable
{
    private readonly SqliteDatabase _database;
    private readonly StorageOptions _options;
    private readonly IAgentRepository _agentRepository;
    private readonly IBatchSink[] _sinks;
    private readonly IIngestObserver[] _observerInstances;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteTelemetryStore> _logger;
    private readonly Channel<WriterRequest> _requests;
    private readonly ConcurrentQueue<(string AgentId, ulong Sequence)> _forgets = new();
    private readonly ConcurrentQueue<long> _corruptChunks = new();
    private readonly ConcurrentDictionary<ulong, SeriesState> _seriesById = new();
    private readonly Lock _lifecycle = new();
    private ObserverPump[] _observers = [];
    private Task? _writerTask;
    private volatile bool _running;
    private bool _stopped;
    private long _chunkCount;
    private long _chunkBytes;
    private long _chunkSamples;

    public SqliteTelemetryStore(
        SqliteDatabase database,
        IOptions<StorageOptions> options,
        IAgentRepository agentRepository,
        IEnumerable<IBatchSink> sinks,
        IEnumerable<IIngestObserver> observers,
        StoreCounters counters,
        TimeProvider time,
        ILogger<SqliteTelemetryStore> logger)
    {
        _database = database;
        _options = options.Value;
        _agentRepository = agentRepository;
        _sinks = [.. sinks];
        _observerInstances = [.. observers];
        Counters = counters;
        _time = time;
        _logger = logger;
        _requests = Channel.CreateBounded<WriterRequest>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _seriesByKey = new Dictionary<SeriesKey, SeriesState>(SeriesKeyComparer.Instance);
        _seriesLookup = _seriesByKey.GetAlternateLookup<SeriesLookup>();
    }

    public StoreCounters Counters { get; }

    /// <summary>True between a successful <see cref="StartAsync"/> and <see cref="StopAsync"/>.</summary>
    public bool IsRunning => _running;

    /// <summary>
    /// Opens the database, loads series and heads, replays the write-ahead records after the last checkpoint and
    /// starts the writer. Throws <see cref="StorageUnavailableException"/> when the database cannot be used.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lifecycle)
        {
            if (_running || _stopped)
            {
                throw new InvalidOperationException("The telemetry store can be started once.");
            }

            cancellationToken.ThrowIfCancellationRequested();
            _database.EnsureOpen();
            Recover();
            _observers = [.. _observerInstances.Select(o => new ObserverPump(o, _options.ObserverQueueCapacity, Counters, _logger))];
            _running = true;
            _writerTask = Task.Run(RunWriterAsync, CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops taking batches, commits what is queued, persists every head and deletes the write-ahead records
    /// (a clean stop restarts without replay), then closes the database.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task? writer;
        lock (_lifecycle)
        {
            if (!_running)
            {
                return;
            }

            _running = false;
            _stopped = true;
            writer = _writerTask;
        }

        var final = new ControlRequest(ControlKind.FullCheckpoint);
        await _requests.Writer.WriteAsync(final, cancellationToken).ConfigureAwait(false);
        _requests.Writer.TryComplete();
        if (writer is not null)
        {
            await writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (ObserverPump pump in _observers)
        {
            await pump.DisposeAsync().ConfigureAwait(false);
        }

        CloseWriterConnection();
        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// Stops the writer after the queued batches without the final checkpoint, leaving the files as a killed
    /// process would (write-ahead records not yet covered by a checkpoint). Used by recovery tests.
    /// </summary>
    internal async Task StopWithoutCheckpointAsync(CancellationToken cancellationToken)
    {
        Task? writer;
        lock (_lifecycle)
        {
            _running = false;
            _stopped = true;
            writer = _writerTask;
        }

        _requests.Writer.TryComplete();
        if (writer is not null)
        {
            await writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (ObserverPump pump in _observers)
        {
            await pump.DisposeAsync().ConfigureAwait(false);
        }

        CloseWriterConnection();
        SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        if (_running)
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            CloseWriterConnection();
        }
    }

    public async ValueTask<AppendResult> AppendAsync(string agentId, TelemetryBatch batch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        ArgumentNullException.ThrowIfNull(batch);
        if (!_running)
        {
            throw new InvalidOperationException("The telemetry store is not running; batches cannot be stored now.");
        }

        int samples = 0;
        foreach (MetricSeries series in batch.Metrics)
        {
            samples += Math.Min(series.TimestampsUnixMs.Count, series.Values.Count);
        }

        var request = new AppendRequest(agentId, batch, samples);
        Counters.QueueDepthChanged(1);
        try
        {
            if (!_requests.Writer.TryWrite(request))
            {
                Counters.BackpressureWait();
                await _requests.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            Counters.QueueDepthChanged(-1);
            if (ex is ChannelClosedException)
            {
                throw new InvalidOperationException("The telemetry store is stopping; the batch was not stored.", ex);
            }

            throw;
        }

        // The batch may still commit after the caller gives up; that is safe, a resend is then a duplicate.
        return await request.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void ForgetSequencesBelow(string agentId, ulong sequence)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        _forgets.Enqueue((agentId, sequence));
    }

    /// <summary>Persists every head and deletes all write-ahead records now (tests, backups, shutdown).</summary>
    public Task CheckpointAsync(CancellationToken cancellationToken) => SendControlAsync(ControlKind.FullCheckpoint, cancellationToken);

    /// <summary>Advances the paced checkpoint round when no batches arrive to carry it.</summary>
    public Task CheckpointSliceAsync(CancellationToken cancellationToken) => SendControlAsync(ControlKind.CheckpointSlice, cancellationToken);

    /// <summary>Closes idle heads, deletes chunks past retention and builds rollups.</summary>
    public Task RunMaintenanceAsync(CancellationToken cancellationToken) => SendControlAsync(ControlKind.Maintenance, cancellationToken);

    public StoreStatistics GetStatistics()
    {
        ulong series = 0;
        ulong headSamples = 0;
        long oldest = long.MaxValue;
        long newest = long.MinValue;
        foreach (SeriesState state in _seriesById.Values)
        {
            series++;
            lock (state.Sync)
            {
                headSamples += (ulong)state.HeadCount;
                if (state.Pending is { } pending)
                {
                    foreach (PendingChunk chunk in pending)
                    {
                        headSamples += chunk.RowId == 0 ? (ulong)chunk.Count : 0;
                    }
                }

                if (state.FirstMs <= state.LastMs)
                {
                    oldest = Math.Min(oldest, state.FirstMs);
                    newest = Math.Max(newest, state.LastMs);
                }
            }
        }

        ulong chunkSamples = (ulong)Math.Max(0, Interlocked.Read(ref _chunkSamples));
        return new StoreStatistics(
            Series: series,
            Samples: chunkSamples + headSamples,
            ChunkBytes: (ulong)Math.Max(0, Interlocked.Read(ref _chunkBytes)),
            ChunkSamples: chunkSamples,
            FileBytes: (ulong)_database.FileBytes(),
            BatchesStored: (ulong)Counters.BatchesCommitted,
            DuplicatesDropped: (ulong)Counters.Duplicates,
            OldestSampleUnixMs: oldest == long.MaxValue ? 0 : oldest,
            NewestSampleUnixMs: newest == long.MinValue ? 0 : newest,
            DataDirectory: _database.DataDirectory);
    }

    private async Task SendControlAsync(ControlKind kind, CancellationToken cancellationToken)
    {
        if (!_running)
        {
            throw new InvalidOperationException("The telemetry store is not running.");
        }

        var request = new ControlRequest(kind);
        await _requests.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        await request.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private long NowUnixMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
