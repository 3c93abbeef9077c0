using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;
using static OpsAgent.Collector.Tests.Storage.StoreHarness;

namespace OpsAgent.Collector.Tests.Storage;

public sealed class SqliteTelemetryStoreLifecycleTests
{
    private static readonly long T0 = Start.ToUnixTimeMilliseconds();

    [Fact]
    public async Task CheckpointSliceAsync_AfterFullRound_DeletesCoveredWriteAheadRecords()
    {
        await using var harness = new StoreHarness(o => o.CheckpointInterval = TimeSpan.FromSeconds(10));
        SqliteTelemetryStore store = await harness.OpenAsync();
        for (ulong s = 1; s <= 5; s++)
        {
            await store.AppendAsync("a", Batch(s, Series("m", [T0 + (long)s * 1000], [s])), Deadline);
        }

        Assert.Equal(5L, harness.Sql<long>("SELECT count(*) FROM wal;"));
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await store.CheckpointSliceAsync(Deadline); // completes the round that began at start-up (nothing to cover yet)
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await store.CheckpointSliceAsync(Deadline); // this round began after the five records: they are covered

        Assert.Equal(0L, harness.Sql<long>("SELECT count(*) FROM wal;"));
        Assert.NotNull(harness.Sql<byte[]>("SELECT data FROM heads;"));
        await harness.ReopenAsync(clean: false);
        Assert.Equal([1.0, 2, 3, 4, 5], Assert.Single(harness.Store.Query(Raw("m", T0, T0 + 10_000)).Series).Values);
    }

    [Fact]
    public async Task AppendAsync_GapFilledAfterRestart_StoresTheMissingSequenceOnly()
    {
        await using var harness = new StoreHarness();
        SqliteTelemetryStore store = await harness.OpenAsync();
        await store.AppendAsync("a", Batch(1, Series("m", [T0], [1])), Deadline);
        await store.AppendAsync("a", Batch(3, Series("m", [T0 + 2000], [3])), Deadline);
        await harness.ReopenAsync(clean: true);

        AppendResult missing = await harness.Store.AppendAsync("a", Batch(2, Series("m", [T0 + 1000], [2])), Deadline);
        AppendResult repeated = await harness.Store.AppendAsync("a", Batch(3, Series("m", [T0 + 2000], [3])), Deadline);

        Assert.Equal(AppendStatus.Stored, missing.Status);
        Assert.Equal(AppendStatus.Duplicate, repeated.Status);
        Assert.Equal([1.0, 2, 3], Assert.Single(harness.Store.Query(Raw("m", T0, T0 + 5000)).Series).Values);
    }

    [Fact]
    public async Task RunMaintenanceAsync_SeriesStoppedReporting_ClosesItsHeadIntoAChunk()
    {
        await using var harness = new StoreHarness();
        SqliteTelemetryStore store = await harness.OpenAsync();
        await store.AppendAsync("a", Batch(1, Series("m", [T0, T0 + 1000], [1, 2])), Deadline);
        Assert.Equal(0L, harness.Sql<long>("SELECT count(*) FROM chunks;"));

        harness.Time.Advance(TimeSpan.FromHours(3));
        await store.RunMaintenanceAsync(Deadline);

        Assert.Equal(1L, harness.Sql<long>("SELECT count(*) FROM chunks;"));
        Assert.Equal(2L, harness.Sql<long>("SELECT samples FROM chunks;"));
        Assert.Equal([1.0, 2], Assert.Single(store.Query(Raw("m", T0, T0 + 5000)).Series).Values);
    }

    [Fact]
    public async Task RunMaintenanceAsync_SeriesPastAllRetention_IsForgottenAndCanReturn()
    {
        await using var harness = new StoreHarness(o =>
        {
            o.Retention = TimeSpan.FromHours(2);
            o.DownsampledRetention = TimeSpan.FromHours(4);
        });
        SqliteTelemetryStore store = await harness.OpenAsync();
        await store.AppendAsync("a", Batch(1, Series("gone", [T0], [1]), Series("kept", [T0], [1])), Deadline);
        harness.Time.Advance(TimeSpan.FromHours(7));
        await store.AppendAsync("a", Batch(2, Series("kept", [T0 + (7 * 3_600_000)], [2])), Deadline);

        await store.RunMaintenanceAsync(Deadline);

        Assert.Equal(["kept"], store.ListSeries(new SeriesSelector(null, null, []), 10).Series.Select(s => s.Name));
        Assert.Equal(1L, harness.Sql<long>("SELECT count(*) FROM series;"));
        await store.AppendAsync("a", Batch(3, Series("gone", [T0 + (7 * 3_600_000)], [3])), Deadline);
        await harness.ReopenAsync(clean: false);
        Assert.Equal([3.0], Assert.Single(harness.Store.Query(Raw("gone", T0, T0 + (8 * 3_600_000))).Series).Values);
    }

    [Fact]
    public async Task AppendAsync_SameNameDifferentLabels_CreatesSeparateSeries()
    {
        await using var harness = new StoreHarness();
        SqliteTelemetryStore store = await harness.OpenAsync();
        await store.AppendAsync("a", Batch(1,
            Series("fs", [T0], [1], MetricKind.Gauge, ("mount", "/")),
            Series("fs", [T0], [2], MetricKind.Gauge, ("mount", "/home")),
            Series("fs", [T0], [3], MetricKind.Gauge, ("device", "sda"), ("mount", "/"))), Deadline);
        await store.AppendAsync("a", Batch(2, Series("fs", [T0 + 1000], [4], MetricKind.Gauge, ("mount", "/"))), Deadline);

        StoreStatistics stats = store.GetStatistics();

        Assert.Equal(3UL, stats.Series);
        Assert.Equal(4UL, stats.Samples);
        Assert.Equal(2UL, stats.BatchesStored);
        Assert.Equal(T0, stats.OldestSampleUnixMs);
        Assert.Equal(T0 + 1000, stats.NewestSampleUnixMs);
        Assert.True(stats.FileBytes > 0);
        var root = new LabelMatcher { Key = "mount", Value = "/" };
        var noDevice = new LabelMatcher { Key = "device", Value = "" };
        Assert.Equal([1.0, 4], Assert.Single(store.Query(Raw("fs", T0, T0 + 5000, root, noDevice)).Series).Values);
    }

    [Fact]
    public async Task AgentRepository_UpsertAndActivity_SurviveRestartAfterFlush()
    {
        await using var harness = new StoreHarness();
        await harness.OpenAsync();
        var hello = new Hello { Hostname = "web-01", AgentVersion = "1.2.3", Host = new HostFacts { Os = "linux", CpuCount = 4 } };
        hello.Labels.Add("env", "prod");
        hello.Capabilities.Add("metrics");
        harness.Agents.Upsert("id-1", hello, "10.0.0.5:4000", T0);
        harness.Agents.RecordActivity("id-1", T0 + 5000, 9, 460);
        harness.Agents.RecordActivity("id-1", T0 + 6000, 10, 460);
        harness.Agents.Flush();

        await harness.ReopenAsync(clean: true);
        AgentRecord? byHost = harness.Agents.Find("WEB-01");

        Assert.NotNull(byHost);
        Assert.Equal("id-1", byHost.AgentId);
        Assert.Equal("prod", byHost.Labels["env"]);
        Assert.Equal(4U, byHost.Host.CpuCount);
        Assert.Equal(["metrics"], byHost.Capabilities);
        Assert.Equal(T0, byHost.FirstSeenUnixMs);
        Assert.Equal(T0 + 6000, byHost.LastSeenUnixMs);
        Assert.Equal(2UL, byHost.BatchesStored);
        Assert.Equal(920UL, byHost.SamplesStored);
        Assert.Equal(10UL, byHost.LastSequence);
        Assert.Single(harness.Agents.List());
    }

    [Fact]
    public async Task AddTelemetryStore_Host_StartsStoresAndStopsCleanly()
    {
        string directory = Path.Combine(Path.GetTempPath(), "opsagent-store-tests", Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Collector:Storage:DataDirectory"] = directory,
            ["Collector:Storage:Retention"] = "2.00:00:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Start));
        services.AddTelemetryStore(configuration);
        await using ServiceProvider provider = services.BuildServiceProvider();
        IHostedService[] hosted = [.. provider.GetServices<IHostedService>()];

        foreach (IHostedService service in hosted)
        {
            await service.StartAsync(Deadline);
        }

        ITelemetryStore store = provider.GetRequiredService<ITelemetryStore>();
        AppendResult result = await store.AppendAsync("a", Batch(1, Series("m", [T0], [1])), Deadline);
        foreach (IHostedService service in hosted)
        {
            await service.StopAsync(Deadline);
        }

        Assert.Equal(AppendStatus.Stored, result.Status);
        Assert.Equal(TimeSpan.FromDays(2), provider.GetRequiredService<IOptions<StorageOptions>>().Value.Retention);
        Assert.True(File.Exists(Path.Combine(directory, "opsagent.db")));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void AddTelemetryStore_InvalidRetention_FailsValidationNamingTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Collector:Storage:Retention"] = "00:10:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTelemetryStore(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains("Collector:Storage:Retention must be at least 1 hour; got 00:10:00.", error.Failures);
    }
}
