using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Detection;

/// <summary>
/// One detection worker: owns the series whose id falls in its partition (id modulo the number of workers), scores
/// their samples in order on its own loop, and sends anomaly signals to the incident tracker. Samples arrive through a
/// bounded queue; when it is full the samples are dropped and counted (detection must never slow ingest down), while
/// ticks and checkpoints wait for room.
/// </summary>
/// <remarks>
/// A series' detector comes into memory when its first samples arrive: from its saved state when there is one
/// (restored lazily, so a restart costs nothing until data flows, and the cost is spread over the first batches;
/// measured by <c>opsagent_detection_state_restore_seconds_total</c>), fresh otherwise. Changed detectors are saved
/// on every checkpoint and when they go idle; idle ones then leave memory.
/// </remarks>
internal sealed partial class DetectionWorker : IAsyncDisposable
{
    /// <summary>
    /// Samples queued per worker at most, whatever the number of slices: a queued slice keeps its whole batch alive, so
    /// the count of slices alone would not bound memory when agents send large batches (backfills, bursts).
    /// </summary>
    public const long MaxQueuedSamples = 2_000_000;

    private readonly int _index;
    private readonly int _partitions;
    private readonly Channel<DetectionWork> _queue;
    private readonly Dictionary<ulong, SeriesDetector> _series = [];
    private readonly List<AnomalySignal> _signals = [];
    private readonly DetectorStateStore _states;
    private readonly IncidentTracker _tracker;
    private readonly SeriesClassifier _classifier;
    private readonly SeriesBudget _budget;
    private readonly DetectionSettings _settings;
    private readonly DetectionOptions _options;
    private readonly DetectionMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private HashSet<ulong> _saved = [];
    private Task? _loop;
    private long _lastCapWarningMs = long.MinValue;
    private long _queuedSamples;

    public DetectionWorker(
        int index,
        int partitions,
        DetectorStateStore states,
        IncidentTracker tracker,
        SeriesClassifier classifier,
        SeriesBudget budget,
        DetectionOptions options,
        DetectionMetrics metrics,
        TimeProvider time,
        ILogger logger)
    {
        _index = index;
        _partitions = partitions;
        _states = states;
        _tracker = tracker;
        _classifier = classifier;
        _budget = budget;
        _options = options;
        _settings = DetectionSettings.From(options);
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<DetectionWork>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of evicting, so the drop is ours to count
        });
    }

    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Series with a detector in memory (read from other threads for tests and diagnostics only).</summary>
    public int SeriesCount => Volatile.Read(ref _seriesCount);

    private int _seriesCount;

    public void Start() => _loop ??= Task.Run(RunAsync);

    /// <summary>Queues samples without waiting; false (and counted) when the queue is full or the worker stopped.</summary>
    public bool TryPost(SamplesWork work)
    {
        if (Interlocked.Add(ref _queuedSamples, work.Samples) <= MaxQueuedSamples && _queue.Writer.TryWrite(work))
        {
            return true;
        }

        Interlocked.Add(ref _queuedSamples, -work.Samples);
        _metrics.DroppedQueueFull(work.Samples);
        return false;
    }

    public void Tick(long nowUnixMs) => _queue.Writer.TryWrite(new TickWork(nowUnixMs));

    /// <summary>Saves every changed detector of this worker; returns how many were saved.</summary>
    public async Task<int> CheckpointAsync(CancellationToken cancellationToken)
    {
        var work = new CheckpointWork();
        await _queue.Writer.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        return await work.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Scores what is queued, saves every changed detector, and stops.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var final = new CheckpointWork();
        if (_queue.Writer.TryWrite(final) || await TryWriteAsync(final, cancellationToken).ConfigureAwait(false))
        {
            _queue.Writer.TryComplete();
            await final.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _states.Dispose();
    }

    private async Task<bool> TryWriteAsync(DetectionWork work, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(work, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    private async Task RunAsync()
    {
        try
        {
            _saved = _states.ListIds(_partitions, _index);
        }
        catch (SqliteException ex)
        {
            // Without the list every series is looked up when it first arrives; slower, not wrong.
            LogListFailed(_logger, ex, _index);
            _saved = [];
        }

        await foreach (DetectionWork work in _queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                switch (work)
                {
                    case SamplesWork samples:
                        try
                        {
                            await ProcessAsync(samples).ConfigureAwait(false);
                        }
                        finally
                        {
                            Interlocked.Add(ref _queuedSamples, -samples.Samples);
                        }

                        break;
                    case TickWork tick:
                        await TickAsync(tick.NowUnixMs).ConfigureAwait(false);
                        break;
                    case CheckpointWork checkpoint:
                        checkpoint.Completion.TrySetResult(Save(_series.Where(s => s.Value.Dirty).ToList()));
                        break;
                }
            }
            catch (Exception ex)
            {
                LogWorkFailed(_logger, ex, _index, work.GetType().Name);
                if (work is CheckpointWork failed)
                {
                    failed.Completion.TrySetException(ex);
                }
            }
        }
    }

    private async Task ProcessAsync(SamplesWork work)
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        long scored = 0;
        long overCap = 0;
        foreach ((ulong id, MetricSeries metric) in work.Series)
        {
            if (!_series.TryGetValue(id, out SeriesDetector? detector))
            {
                SeriesTreatment treatment = _classifier.Classify(metric.Name, metric.Kind, metric.Unit, key => Label(metric, key));
                if (treatment == SeriesTreatment.None)
                {
                    continue;
                }

                if (!_budget.TryAcquire())
                {
                    overCap += Math.Min(metric.TimestampsUnixMs.Count, metric.Values.Count);
                    continue;
                }

                detector = Load(id, Identity(id, work, metric), treatment);
                _series[id] = detector;
                Interlocked.Increment(ref _seriesCount);
                _metrics.SeriesTrackedChanged(1);
            }
            else if (detector.Identity.Hostname != work.Hostname || !SameLabels(detector.Identity.HostLabels, work.HostLabels))
            {
                detector.Identity = detector.Identity with { Hostname = work.Hostname, HostLabels = work.HostLabels };
            }

            detector.LastReceivedWallMs = now;
            scored += detector.Process(metric.TimestampsUnixMs, metric.Values, _signals);
            await FlushSignalsAsync().ConfigureAwait(false);
        }

        _metrics.Scored(scored);
        if (overCap > 0)
        {
            _metrics.DroppedSeriesCap(overCap);
            if (now - _lastCapWarningMs >= 3_600_000)
            {
                _lastCapWarningMs = now;
                LogSeriesCap(_logger, _options.MaxSeries);
            }
        }
    }

    private SeriesDetector Load(ulong id, SeriesIdentity identity, SeriesTreatment treatment)
    {
        long started = Stopwatch.GetTimestamp();
        RestoreOutcome outcome = RestoreOutcome.Fresh;
        SeriesDetector? detector = null;
        if (_saved.Contains(id))
        {
            try
            {
                if (_states.Load(id) is { } state)
                {
                    detector = SeriesDetector.Restore(state, identity, treatment, _settings);
                    outcome = RestoreOutcome.Restored;
                }
            }
            catch (InvalidDataException ex)
            {
                outcome = RestoreOutcome.Failed;
                LogRestoreFailed(_logger, identity.Display, identity.Hostname, ex.Message);
            }
            catch (SqliteException ex)
            {
                outcome = RestoreOutcome.Failed;
                LogRestoreFailed(_logger, identity.Display, identity.Hostname, ex.Message);
            }
        }

        _metrics.Restore(outcome, Stopwatch.GetElapsedTime(started));
        return detector ?? new SeriesDetector(identity, treatment, _settings);
    }

    private async Task TickAsync(long now)
    {
        long staleMs = (long)_options.StaleAfter.TotalMilliseconds;
        long idleMs = (long)_options.IdleAfter.TotalMilliseconds;
        var idle = new List<KeyValuePair<ulong, SeriesDetector>>();
        foreach (KeyValuePair<ulong, SeriesDetector> entry in _series)
        {
            long silent = now - entry.Value.LastReceivedWallMs;
            if (entry.Value.HasOpenAnomaly && silent >= staleMs)
            {
                entry.Value.ResolveStale(now, _signals);
                await FlushSignalsAsync().ConfigureAwait(false);
            }

            if (silent >= idleMs)
            {
                idle.Add(entry);
            }
        }

        if (idle.Count == 0)
        {
            return;
        }

        Save(idle.Where(e => e.Value.Dirty).ToList());
        foreach (KeyValuePair<ulong, SeriesDetector> entry in idle)
        {
            _series.Remove(entry.Key);
        }

        Interlocked.Add(ref _seriesCount, -idle.Count);
        _budget.Release(idle.Count);
        _metrics.SeriesTrackedChanged(-idle.Count);
        _metrics.Evicted(idle.Count);
    }

    private int Save(List<KeyValuePair<ulong, SeriesDetector>> dirty)
    {
        if (dirty.Count == 0)
        {
            return 0;
        }

        long started = Stopwatch.GetTimestamp();
        var states = new List<(ulong SeriesId, byte[] State)>(dirty.Count);
        foreach ((ulong id, SeriesDetector detector) in dirty)
        {
            states.Add((id, detector.Checkpoint()));
        }

        _states.Save(states, _time.GetUtcNow().ToUnixTimeMilliseconds());
        foreach ((ulong id, SeriesDetector detector) in dirty)
        {
            detector.MarkSaved();
            _saved.Add(id);
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        _metrics.Checkpointed(states.Count, elapsed);
        LogSaved(_logger, _index, states.Count, elapsed.TotalMilliseconds);
        return states.Count;
    }

    private async Task FlushSignalsAsync()
    {
        foreach (AnomalySignal signal in _signals)
        {
            // Waits when the tracker is behind: an anomaly is never dropped (samples are, upstream, instead).
            await _tracker.PostAsync(signal, CancellationToken.None).ConfigureAwait(false);
        }

        _signals.Clear();
    }

    private static SeriesIdentity Identity(ulong id, SamplesWork work, MetricSeries metric) => new(
        id,
        work.AgentId,
        work.Hostname,
        metric.Name,
        [.. metric.Labels.Select(l => KeyValuePair.Create(l.Key, l.Value))],
        metric.Kind,
        metric.Unit,
        work.HostLabels);

    private static string? Label(MetricSeries metric, string key)
    {
        foreach (Label label in metric.Labels)
        {
            if (label.Key == key)
            {
                return label.Value;
            }
        }

        return null;
    }

    private static bool SameLabels(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        ReferenceEquals(a, b) || (a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out string? v) && v == p.Value));

    [LoggerMessage(EventId = 5020, Level = LogLevel.Warning, Message = "Detection worker {Worker} could not list saved detector states; each series is looked up when it first arrives")]
    private static partial void LogListFailed(ILogger logger, Exception exception, int worker);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Error, Message = "Detection worker {Worker} failed on {Work}; it goes on with the next work. Report this with the log")]
    private static partial void LogWorkFailed(ILogger logger, Exception exception, int worker, string work);

    [LoggerMessage(EventId = 5022, Level = LogLevel.Warning, Message = "The saved detector of {Series} on {Host} is unusable ({Reason}); it relearns from the samples that arrive now")]
    private static partial void LogRestoreFailed(ILogger logger, string series, string host, string reason);

    [LoggerMessage(EventId = 5023, Level = LogLevel.Warning, Message = "Detection watches its maximum of {MaxSeries} series; samples of further series are not scored (opsagent_detection_samples_dropped_total{{reason=\"series_cap\"}}). Raise Collector:Detection:MaxSeries (about 25 KiB each) or exclude series with Collector:Detection:Exclude")]
    private static partial void LogSeriesCap(ILogger logger, int maxSeries);

    [LoggerMessage(EventId = 5024, Level = LogLevel.Debug, Message = "Detection worker {Worker} saved {States} detector states in {Milliseconds} ms")]
    private static partial void LogSaved(ILogger logger, int worker, int states, double milliseconds);
}
