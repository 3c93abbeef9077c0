using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Detection;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;

namespace OpsAgent.Benchmarks.Detection;

/// <summary>
/// Detection inside the collector, on a real SQLite file: the workers (default count for this machine) scoring committed
/// batches routed as the store's observer routes them, plus what a restart costs: saving every detector, and loading
/// them back lazily when their series send again. <see cref="Score"/>: one operation is one sample, so samples/s =
/// 1e9 / Mean(ns). <see cref="Checkpoint"/> and <see cref="Restore"/>: one operation is one series.
/// </summary>
/// <remarks>
/// Series are warm (past the learning samples) and look like host metrics: 20 hosts of 200 series each, one sample
/// per series per batch, a noisy daily cycle.
/// </remarks>
public class DetectionPipelineBenchmarks : IDisposable
{
    private const int Hosts = 20;
    private const int SeriesPerHost = 200;
    private const int Series = Hosts * SeriesPerHost;
    private const int WarmupSamples = 1100;
    private const int RoundsPerInvoke = 25;
    private const long StepMs = 10_000;

    private string _directory = "";
    private SqliteDatabase _database = null!;
    private SqliteAgentRepository _agents = null!;
    private DetectionMetrics _metrics = null!;
    private DetectionPipeline _pipeline = null!;
    private long _round;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "opsagent-bench-detection-" + Guid.NewGuid().ToString("N"));
        var storage = Options.Create(new StorageOptions { DataDirectory = _directory });
        _database = new SqliteDatabase(storage, [.. TelemetrySchema.Migrations, .. DetectionSchema.Migrations], NullLogger<SqliteDatabase>.Instance);
        _database.EnsureOpen();
        _agents = new SqliteAgentRepository(_database, NullLogger<SqliteAgentRepository>.Instance);
        StartPipeline();

        // Warm every detector past its learning samples, in batches of 50 samples per series.
        for (int r = 0; r < WarmupSamples; r += 50)
        {
            RouteRound(50);
            WaitForScored(Series * (long)(r + 50));
        }

        Console.WriteLine($"// detection: {_pipeline.Workers.Count} workers, {Series} series warmed with {WarmupSamples} samples each");
    }

    [Benchmark(OperationsPerInvoke = RoundsPerInvoke * Series)]
    public void Score()
    {
        long target = _metrics.SamplesScored + (RoundsPerInvoke * (long)Series);
        for (int r = 0; r < RoundsPerInvoke; r++)
        {
            RouteRound(1);
        }

        WaitForScored(target);
    }

    [IterationSetup(Target = nameof(Checkpoint))]
    public void DirtyEverySeries()
    {
        long target = _metrics.SamplesScored + Series;
        RouteRound(1);
        WaitForScored(target);
    }

    [Benchmark(OperationsPerInvoke = Series)]
    [InvocationCount(1)]
    public int Checkpoint() => _pipeline.CheckpointAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>A clean stop (every detector saved) and a new pipeline on the same file, as a restart does.</summary>
    [IterationSetup(Target = nameof(Restore))]
    public void Restart()
    {
        _pipeline.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _pipeline.DisposeAsync().AsTask().GetAwaiter().GetResult();
        StartPipeline();
    }

    /// <summary>The first samples after a restart: every series' detector is loaded from the store, then scores.</summary>
    [Benchmark(OperationsPerInvoke = Series)]
    [InvocationCount(1)]
    public void Restore()
    {
        long target = _metrics.SamplesScored + Series;
        RouteRound(1);
        WaitForScored(target);
        if (_metrics.StatesRestored != Series)
        {
            throw new InvalidOperationException($"restored {_metrics.StatesRestored} of {Series} detectors");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pipeline.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        long bytes = new DirectoryInfo(_directory).EnumerateFiles().Sum(f => f.Length);
        Console.WriteLine($"// detection: database with {Series} saved detectors is {bytes / 1024.0 / 1024.0:F1} MiB ({bytes / (double)Series / 1024:F1} KiB per series)");
        Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    public void Dispose()
    {
        _pipeline?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    private void StartPipeline()
    {
        _metrics = new DetectionMetrics();
        // Default settings but a deeper queue: the benchmark routes a burst of rounds at once and must not lose any.
        var options = Options.Create(new DetectionOptions { QueueCapacity = 4096 });
        var tracker = new IncidentTracker(new DetectionRepository(_database), new DetectionEventHub(_metrics, TimeProvider.System), _metrics, options, TimeProvider.System, NullLogger<IncidentTracker>.Instance);
        _pipeline = new DetectionPipeline(_database, tracker, _agents, options, _metrics, TimeProvider.System, NullLoggerFactory.Instance);
        _pipeline.Start();
    }

    /// <summary>One batch per host with <paramref name="samples"/> samples of each of its series.</summary>
    private void RouteRound(int samples)
    {
        for (int h = 0; h < Hosts; h++)
        {
            var batch = new TelemetryBatch();
            var ids = new ulong[SeriesPerHost];
            for (int s = 0; s < SeriesPerHost; s++)
            {
                int id = (h * SeriesPerHost) + s + 1;
                var series = new MetricSeries { Name = "bench.metric", Kind = MetricKind.Gauge, Unit = "1" };
                for (int k = 0; k < samples; k++)
                {
                    long i = _round + k;
                    series.TimestampsUnixMs.Add(1_700_000_000_000 + (i * StepMs));
                    series.Values.Add(50 + (20 * Math.Sin((2 * Math.PI * i / 8640) + id)) + (2 * Math.Sin(i * 1.7 * id)));
                }

                batch.Metrics.Add(series);
                ids[s] = (ulong)id;
            }

            _pipeline.Route(new CommittedBatch("bench-" + h, batch, ids));
        }

        _round += samples;
    }

    private void WaitForScored(long target)
    {
        var spin = new SpinWait();
        while (_metrics.SamplesScored < target)
        {
            if (_metrics.SamplesDroppedQueueFull > 0)
            {
                throw new InvalidOperationException($"{_metrics.SamplesDroppedQueueFull} samples dropped: the benchmark outran the worker queues");
            }

            spin.SpinOnce(sleep1Threshold: 20);
        }
    }
}
