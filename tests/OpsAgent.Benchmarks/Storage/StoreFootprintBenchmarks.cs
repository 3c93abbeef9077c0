using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;

namespace OpsAgent.Benchmarks.Storage;

/// <summary>
/// Bytes per stored sample measured from the real files on disk: 4 hosts × 460 series of realistic host metrics at a
/// 1 s interval (collection timestamps jittered by up to ±3 ms) for 6 hours of data time, sent as 10-second batches,
/// then a clean stop (which checkpoints and compacts). The figure is printed as "// footprint: ..." in the log; the
/// measured time is the whole ingest of 39.7 million samples.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1)]
public class StoreFootprintBenchmarks
{
    private const int Hosts = 4;
    private const int SeriesPerHost = 460;
    private const int Hours = 6;
    private const int BatchSeconds = 10;

    [Benchmark]
    public async Task IngestSixHoursAndMeasure()
    {
        string directory = Path.Combine(Path.GetTempPath(), "opsagent-footprint-" + Guid.NewGuid().ToString("N"));
        var options = Options.Create(new StorageOptions { DataDirectory = directory });
        var database = new SqliteDatabase(options, TelemetrySchema.Migrations, NullLogger<SqliteDatabase>.Instance);
        var agents = new SqliteAgentRepository(database, NullLogger<SqliteAgentRepository>.Instance);
        await using var store = new SqliteTelemetryStore(database, options, agents, [], [], new StoreCounters(), TimeProvider.System, NullLogger<SqliteTelemetryStore>.Instance);
        await store.StartAsync(CancellationToken.None);
        var random = new Random(42);
        var levels = new double[Hosts, SeriesPerHost];
        var counters = new double[Hosts, SeriesPerHost];
        for (int h = 0; h < Hosts; h++)
        {
            for (int s = 0; s < SeriesPerHost; s++)
            {
                levels[h, s] = random.NextDouble();
                counters[h, s] = random.Next(1_000_000, 1_000_000_000);
            }
        }

        long start = 1_772_366_400_000;
        long samples = 0;
        ulong sequence = 0;
        var inFlight = new List<Task>();
        for (int second = 0; second < Hours * 3600; second += BatchSeconds)
        {
            sequence++;
            for (int h = 0; h < Hosts; h++)
            {
                long[] times = [.. Enumerable.Range(second, BatchSeconds).Select(t => start + (t * 1000L) + random.Next(-3, 4))];
                var batch = new TelemetryBatch { Sequence = sequence };
                for (int s = 0; s < SeriesPerHost; s++)
                {
                    var series = new MetricSeries { Name = $"system.metric.{s % 40}", Kind = MetricKind.Gauge, Unit = "1" };
                    series.Labels.Add(new Label { Key = "device", Value = $"d{s / 40}" });
                    series.TimestampsUnixMs.Add(times);
                    for (int i = 0; i < BatchSeconds; i++)
                    {
                        series.Values.Add(HostMetricData.Value(s, ref levels[h, s], ref counters[h, s], random));
                    }

                    batch.Metrics.Add(series);
                    samples += BatchSeconds;
                }

                inFlight.Add(store.AppendAsync($"host-{h}", batch, CancellationToken.None).AsTask());
            }

            if (inFlight.Count >= 256)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
        }

        await Task.WhenAll(inFlight);
        StoreStatistics stats = store.GetStatistics();
        await store.StopAsync(CancellationToken.None);
        SqliteConnection.ClearAllPools();
        long bytes = new DirectoryInfo(directory).EnumerateFiles().Sum(f => f.Length);
        Console.WriteLine($"// footprint: {samples} samples in {stats.Series} series; {bytes} bytes on disk after a clean stop = {bytes / (double)samples:F3} bytes/sample; encoded chunks alone {stats.ChunkBytes / (double)Math.Max(1, stats.ChunkSamples):F3} bytes/sample");
        if (Environment.GetEnvironmentVariable("OPSAGENT_KEEP_FOOTPRINT_DB") is null)
        {
            Directory.Delete(directory, recursive: true);
        }
        else
        {
            Console.WriteLine($"// footprint database kept in {directory}");
        }
    }
}
