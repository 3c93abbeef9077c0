using Microsoft.Extensions.Options;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Detection;

/// <summary>
/// The detection workers and the incident tracker, and the routing of committed batches to them: every metric series
/// of a batch goes to the worker that owns its id (id modulo the number of workers), so each series is scored by one
/// worker, in order, without locks.
/// </summary>
internal sealed class DetectionPipeline : IAsyncDisposable
{
    private readonly DetectionWorker[] _workers;
    private readonly IncidentTracker _tracker;
    private readonly IAgentRepository _agents;
    private readonly DetectionMetrics _metrics;
    private volatile bool _running;

    public DetectionPipeline(
        SqliteDatabase database,
        IncidentTracker tracker,
        IAgentRepository agents,
        IOptions<DetectionOptions> options,
        DetectionMetrics metrics,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        DetectionOptions o = options.Value;
        _tracker = tracker;
        _agents = agents;
        _metrics = metrics;
        var classifier = new SeriesClassifier(o);
        var budget = new SeriesBudget(o.MaxSeries);
        ILogger logger = loggers.CreateLogger<DetectionWorker>();
        int n = o.EffectiveWorkers;
        _workers = new DetectionWorker[n];
        for (int i = 0; i < n; i++)
        {
            _workers[i] = new DetectionWorker(i, n, new DetectorStateStore(database), tracker, classifier, budget, o, metrics, time, logger);
        }

        metrics.SetQueueDepth(() => _workers.Sum(w => (long)w.QueueDepth));
    }

    public IReadOnlyList<DetectionWorker> Workers => _workers;

    public bool IsRunning => _running;

    public void Start()
    {
        _tracker.Start();
        foreach (DetectionWorker worker in _workers)
        {
            worker.Start();
        }

        _running = true;
    }

    /// <summary>Hands the batch's series to their workers; never waits (a full worker queue drops and counts).</summary>
    public void Route(CommittedBatch batch)
    {
        if (!_running)
        {
            _metrics.DroppedStopped(batch.Batch.Metrics.Sum(s => (long)Math.Min(s.TimestampsUnixMs.Count, s.Values.Count)));
            return;
        }

        AgentRecord? agent = _agents.Find(batch.AgentId);
        string hostname = agent?.Hostname ?? batch.AgentId;
        IReadOnlyDictionary<string, string> hostLabels = agent?.Labels ?? new Dictionary<string, string>();
        var perWorker = new List<(ulong, MetricSeries)>?[_workers.Length];
        var samples = new long[_workers.Length];
        for (int i = 0; i < batch.Batch.Metrics.Count && i < batch.SeriesIds.Length; i++)
        {
            ulong id = batch.SeriesIds[i];
            if (id == 0)
            {
                continue;
            }

            int w = (int)(id % (ulong)_workers.Length);
            MetricSeries series = batch.Batch.Metrics[i];
            (perWorker[w] ??= []).Add((id, series));
            samples[w] += Math.Min(series.TimestampsUnixMs.Count, series.Values.Count);
        }

        for (int w = 0; w < _workers.Length; w++)
        {
            if (perWorker[w] is { } series)
            {
                _workers[w].TryPost(new SamplesWork(batch.AgentId, hostname, hostLabels, series, samples[w]));
            }
        }
    }

    public void Tick(long nowUnixMs)
    {
        foreach (DetectionWorker worker in _workers)
        {
            worker.Tick(nowUnixMs);
        }

        _tracker.Tick(nowUnixMs);
    }

    /// <summary>Saves every changed detector now; returns how many were saved.</summary>
    public async Task<int> CheckpointAsync(CancellationToken cancellationToken)
    {
        int[] saved = await Task.WhenAll(_workers.Select(w => w.CheckpointAsync(cancellationToken))).ConfigureAwait(false);
        return saved.Sum();
    }

    /// <summary>Scores what is queued, saves every detector, stores the last signals, and stops.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _running = false;
        await Task.WhenAll(_workers.Select(w => w.StopAsync(cancellationToken))).ConfigureAwait(false);
        await _tracker.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _running = false;
        foreach (DetectionWorker worker in _workers)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
        }

        await _tracker.DisposeAsync().ConfigureAwait(false);
    }
}
