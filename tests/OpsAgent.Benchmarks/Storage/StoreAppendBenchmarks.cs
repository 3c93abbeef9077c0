using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;

namespace OpsAgent.Benchmarks.Storage;

/// <summary>
/// Sustained append throughput of the real store on a real file with synchronous=FULL: many agents with 1000 series
/// each send one sample per series per batch (the shape of 1 s collection), with enough batches in flight for group
/// commit to work. One operation is one sample, so samples/s = 1e9 / Mean(ns).
/// </summary>
[MemoryDiagnoser]
public class StoreAppendBenchmarks : IDisposable
{
    private const int SeriesPerAgent = 1000;
    private const int BatchesPerInvoke = 400;

    private string _directory = "";
    private SqliteTelemetryStore _store = null!;
    private TelemetryBatch[][] _templates = [];
    private ulong[] _sequences = [];
    private long _tick;
    private (string Agent, TelemetryBatch Batch)[] _next = [];

    [Params(100, 1000)]
    public int Agents { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "opsagent-bench-" + Guid.NewGuid().ToString("N"));
        var options = Options.Create(new StorageOptions { DataDirectory = _directory, QueueCapacity = 1024 });
        var database = new SqliteDatabase(options, TelemetrySchema.Migrations, NullLogger<SqliteDatabase>.Instance);
        var agents = new SqliteAgentRepository(database, NullLogger<SqliteAgentRepository>.Instance);
        _store = new SqliteTelemetryStore(database, options, agents, [], [], new StoreCounters(), TimeProvider.System, NullLogger<SqliteTelemetryStore>.Instance);
        _store.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        _sequences = new ulong[Agents];
        _templates = new TelemetryBatch[Agents][];
        // Every series gets created once here, so iterations measure steady-state ingest.
        for (int round = 0; round < 2; round++)
        {
            AppendRound(Agents);
        }
    }

    /// <summary>Builds the next batches outside the measurement: parsing them is the gateway's cost, not the store's.</summary>
    [IterationSetup]
    public void BuildBatches() => _next = BuildRound(BatchesPerInvoke);

    [Benchmark(OperationsPerInvoke = BatchesPerInvoke * SeriesPerAgent)]
    public void Append() => AppendAll(_next);

    [GlobalCleanup]
    public void Cleanup()
    {
        StoreStatistics before = _store.GetStatistics();
        _store.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        long bytes = new DirectoryInfo(_directory).EnumerateFiles().Sum(f => f.Length);
        Console.WriteLine($"// store: {before.Series} series, {before.Samples} samples, {bytes} bytes on disk after stop = {bytes / (double)before.Samples:F3} bytes/sample (short run: series catalog dominates)");
        Directory.Delete(_directory, recursive: true);
    }

    public void Dispose()
    {
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    private void AppendRound(int batches) => AppendAll(BuildRound(batches));

    private (string Agent, TelemetryBatch Batch)[] BuildRound(int batches)
    {
        var round = new (string, TelemetryBatch)[batches];
        var random = new Random(batches);
        for (int b = 0; b < batches; b++)
        {
            int agent = b % Agents;
            long timestamp = 1_772_366_400_000 + (1000 * (_tick + (b / Agents)));
            round[b] = (AgentIds[agent], NextBatch(agent, timestamp, random));
        }

        _tick += (batches + Agents - 1) / Agents;
        return round;
    }

    private void AppendAll((string Agent, TelemetryBatch Batch)[] round)
    {
        var pending = new Task[round.Length];
        for (int b = 0; b < round.Length; b++)
        {
            pending[b] = _store.AppendAsync(round[b].Agent, round[b].Batch, CancellationToken.None).AsTask();
        }

        Task.WaitAll(pending);
    }

    private TelemetryBatch NextBatch(int agent, long timestamp, Random random)
    {
        var batch = new TelemetryBatch { Sequence = ++_sequences[agent], CreatedUnixMs = timestamp };
        for (int s = 0; s < SeriesPerAgent; s++)
        {
            var series = new MetricSeries { Name = Names[s % Names.Length], Kind = MetricKind.Gauge, Unit = "1" };
            series.Labels.Add(new Label { Key = "device", Value = Devices[s / Names.Length] });
            series.TimestampsUnixMs.Add(timestamp);
            double level = 0.5;
            double counter = (s * 1_000_003.0) + (_tick * 997);
            series.Values.Add(HostMetricData.Value(s, ref level, ref counter, random));
            batch.Metrics.Add(series);
        }

        return batch;
    }

    private static readonly string[] Names =
    [
        "system.cpu.utilization", "system.network.io", "system.memory.usage", "system.cpu.load_average.1m",
        "system.network.errors", "system.filesystem.usage", "system.disk.io", "hw.temperature", "system.disk.operations", "system.filesystem.inodes.usage",
    ];

    private static readonly string[] AgentIds = [.. Enumerable.Range(0, 1000).Select(i => $"agent-{i:D4}")];

    private static readonly string[] Devices = [.. Enumerable.Range(0, SeriesPerAgent / 10).Select(i => $"dev{i:D3}")];
}
