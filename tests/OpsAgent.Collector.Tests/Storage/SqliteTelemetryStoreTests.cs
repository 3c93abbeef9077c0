using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;
using static OpsAgent.Collector.Tests.Storage.StoreHarness;

namespace OpsAgent.Collector.Tests.Storage;

public sealed class SqliteTelemetryStoreTests
{
    private static readonly long T0 = Start.ToUnixTimeMilliseconds();

    [Fact]
    public async Task AppendAsync_SameSequenceTwice_StoresOnceAndReportsDuplicate()
    {
        await using var harness = new StoreHarness();
        SqliteTelemetryStore store = await harness.OpenAsync();
        TelemetryBatch batch = Batch(1, Series("cpu", [T0, T0 + 1000], [0.5, 0.25]));

        AppendResult first = await store.AppendAsync("agent-1", batch, Deadline);
        AppendResult second = await store.AppendAsync("agent-1", batch, Deadline);
        AppendResult otherAgent = await store.AppendAsync("agent-2", batch, Deadline);

        Assert.Equal(new AppendResult(AppendStatus.Stored, 2), first);
        Assert.Equal(new AppendResult(AppendStatus.Duplicate, 0), second);
        Assert.Equal(AppendStatus.Stored, otherAgent.Status);
        QueryResult result = store.Query(Raw("cpu", T0, T0 + 5000, new LabelMatcher { Key = "agent_id", Value = "agent-1" }));
        Assert.Equal([0.5, 0.25], Assert.Single(result.Series).Values);
        Assert.Equal(1UL, store.GetStatistics().DuplicatesDropped);
    }

    [Fact]
    public async Task AppendAsync_DuplicateAfterRestart_IsStillDuplicate()
    {
        await using var harness = new StoreHarness();
        await harness.OpenAsync();
        await harness.Store.AppendAsync("a", Batch(7, Series("m", [T0], [1])), Deadline);
        await harness.ReopenAsync(clean: false);

        AppendResult again = await harness.Store.AppendAsync("a", Batch(7, Series("m", [T0], [1])), Deadline);

        Assert.Equal(AppendStatus.Duplicate, again.Status);
        Assert.Single(Assert.Single(harness.Store.Query(Raw("m", T0, T0)).Series).Values);
    }

    [Fact]
    public async Task ForgetSequencesBelow_LowerSequenceArrives_IsTreatedAsDuplicate()
    {
        await using var harness = new StoreHarness();
        SqliteTelemetryStore store = await harness.OpenAsync();
        store.ForgetSequencesBelow("a", 100);

        AppendResult old = await store.AppendAsync("a", Batch(99, Series("m", [T0], [1])), Deadline);
        AppendResult next = await store.AppendAsync("a", Batch(100, Series("m", [T0], [1])), Deadline);

        Assert.Equal(AppendStatus.Duplicate, old.Status);
        Assert.Equal(AppendStatus.Stored, next.Status);
    }

    [Fact]
    public async Task StopAsync_ThenReopen_ReturnsEverySampleWithoutReplay()
    {
        await using var harness = new StoreHarness(o => o.MaxSamplesPerChunk = 16);
        SqliteTelemetryStore store = await harness.OpenAsync();
        (long[] times, double[] values) = HostMetricData.Generate(0, 100, seed: 3, start: T0);
        for (int i = 0; i < 100; i += 10)
        {
            await store.AppendAsync("a", Batch((ulong)i + 1, Series("cpu", times[i..(i + 10)], values[i..(i + 10)])), Deadline);
        }

        await harness.ReopenAsync(clean: true);

        Assert.Equal(0L, harness.Sql<long>("SELECT count(*) FROM wal;"));
        SeriesSamples series = Assert.Single(harness.Store.Query(Raw("cpu", T0, T0 + 100_000)).Series);
        Assert.Equal(times, series.TimestampsUnixMs);
        Assert.Equal(values, series.Values);
        Assert.Equal(100UL, harness.Store.GetStatistics().Samples);
    }

    [Fact]
    public async Task StartAsync_AfterUncleanStop_ReplaysWriteAheadExactlyOnce()
    {
        await using var harness = new StoreHarness(o => o.MaxSamplesPerChunk = 16);
        SqliteTelemetryStore store = await harness.OpenAsync();
        (long[] times, double[] values) = HostMetricData.Generate(1, 200, seed: 5, start: T0);
        for (int i = 0; i < 100; i += 10)
        {
            await store.AppendAsync("a", Batch((ulong)i + 1, Series("net", times[i..(i + 10)], values[i..(i + 10)], MetricKind.Counter)), Deadline);
        }

        // A checkpoint in the middle: heads persisted, some records deleted, later ones only in the write-ahead table.
        await store.CheckpointAsync(Deadline);
        for (int i = 100; i < 200; i += 10)
        {
            await store.AppendAsync("a", Batch((ulong)i + 1, Series("net", times[i..(i + 10)], values[i..(i + 10)], MetricKind.Counter)), Deadline);
        }

        await harness.ReopenAsync(clean: false);
        Assert.True(harness.Sql<long>("SELECT count(*) FROM wal;") > 0);
        SeriesSamples first = Assert.Single(harness.Store.Query(Raw("net", T0, T0 + 300_000)).Series);
        Assert.Equal(times, first.TimestampsUnixMs);
        Assert.Equal(values, first.Values);

        // A second crash right after recovery must not duplicate what the first replay re-created.
        await harness.ReopenAsync(clean: false);
        SeriesSamples second = Assert.Single(harness.Store.Query(Raw("net", T0, T0 + 300_000)).Series);
        Assert.Equal(times, second.TimestampsUnixMs);
        Assert.Equal(values, second.Values);
    }

    [Fact]
    public async Task AppendAsync_OutOfOrderBatch_StoresBothInTimeOrder()
    {
        await using var harness = new StoreHarness();
        SqliteTelemetryStore store = await harness.OpenAsync();
        await store.AppendAsync("a", Batch(2, Series("m", [T0 + 2000, T0 + 3000], [3, 4])), Deadline);
        await store.AppendAsync("a", Batch(1, Series("m", [T0, T0 + 1000], [1, 2])), Deadline);
        await store.AppendAsync("a", Batch(3, Series("m", [T0 + 4000], [5])), Deadline);
        Assert.Equal(1, harness.Counters.OutOfOrderSamples); // T0 after T0+3000; T0+1000 continues the new chunk

        await harness.ReopenAsync(clean: false);

        SeriesSamples series = Assert.Single(harness.Store.Query(Raw("m", T0, T0 + 10_000)).Series);
        Assert.Equal([T0, T0 + 1000, T0 + 2000, T0 + 3000, T0 + 4000], series.TimestampsUnixMs);
        Assert.Equal([1.0, 2, 3, 4, 5], series.Values);
    }

    [Fact]
    public async Task RunMaintenanceAsync_PastRetention_DeletesWholeOldChunks()
    {
        await using var harness = new StoreHarness(o =>
        {
            o.Retention = TimeSpan.FromHours(4);
            o.MaxSamplesPerChunk = 60;
        });
        SqliteTelemetryStore store = await harness.OpenAsync();
        ulong sequence = 0;
        // One sample a minute for 8 hours: 480 samples across four 2-hour windows.
        for (int minute = 0; minute < 480; minute += 60)
        {
            long[] times = [.. Enumerable.Range(minute, 60).Select(m => T0 + (m * 60_000L))];
            await store.AppendAsync("a", Batch(++sequence, Series("disk", times, [.. times.Select(t => (double)t)])), Deadline);
        }

        harness.Time.Advance(TimeSpan.FromHours(8));
        await store.RunMaintenanceAsync(Deadline);

        long cutoff = T0 + TimeSpan.FromHours(4).Ticks / TimeSpan.TicksPerMillisecond;
        SeriesSamples series = Assert.Single(store.Query(Raw("disk", T0, T0 + TimeSpan.FromHours(9).Ticks / TimeSpan.TicksPerMillisecond)).Series);
        Assert.Equal(cutoff, series.TimestampsUnixMs[0]);
        Assert.Equal(240, series.TimestampsUnixMs.Length);
        Assert.True(harness.Counters.ChunksDeletedByRetention > 0);
        Assert.Equal(240UL, store.GetStatistics().Samples);
    }

    [Fact]
    public async Task Query_OldRangeAfterRetention_UsesRollups()
    {
        await using var harness = new StoreHarness(o => o.Retention = TimeSpan.FromHours(2));
        SqliteTelemetryStore store = await harness.OpenAsync();
        // One sample every 10 s for 2 hours: value = minute of the hour, so each 5-minute bucket is predictable.
        long[] times = [.. Enumerable.Range(0, 720).Select(i => T0 + (i * 10_000L))];
        double[] values = [.. times.Select(t => (double)((t - T0) / 60_000))];
        await store.AppendAsync("a", Batch(1, Series("load", times, values)), Deadline);

        harness.Time.Advance(TimeSpan.FromHours(2.1));
        await store.RunMaintenanceAsync(Deadline); // closes the idle head, rolls the window up
        harness.Time.Advance(TimeSpan.FromHours(4));
        await store.RunMaintenanceAsync(Deadline); // raw retention deletes the window

        Assert.Equal(0L, harness.Sql<long>("SELECT count(*) FROM chunks;"));
        var query = new MetricQuery(new SeriesSelector("load", null, []), T0, T0 + 7_199_999, 3_600_000, Aggregation.Max, 10);
        SeriesSamples series = Assert.Single(store.Query(query).Series);
        Assert.Equal([T0, T0 + 3_600_000], series.TimestampsUnixMs);
        Assert.Equal([59.0, 119.0], series.Values);
        var count = query with { Aggregation = Aggregation.Count };
        Assert.Equal([360.0, 360.0], Assert.Single(store.Query(count).Series).Values);
    }

    [Fact]
    public async Task ListSeries_LabelMatchers_SelectByOwnStaticAndVirtualLabels()
    {
        await using var harness = new StoreHarness();
        SqliteTelemetryStore store = await harness.OpenAsync();
        var hello = new Hello { Hostname = "web-01", AgentVersion = "1.0" };
        hello.Labels.Add("env", "prod");
        harness.Agents.Upsert("agent-web", hello, "127.0.0.1", T0);
        harness.Agents.Upsert("agent-db", new Hello { Hostname = "db-01", AgentVersion = "1.0" }, "127.0.0.1", T0);
        await store.AppendAsync("agent-web", Batch(1,
            Series("system.cpu.utilization", [T0], [0.1], MetricKind.Gauge, ("state", "user")),
            Series("system.cpu.utilization", [T0], [0.8], MetricKind.Gauge, ("state", "idle")),
            Series("system.memory.usage", [T0], [100])), Deadline);
        await store.AppendAsync("agent-db", Batch(1, Series("system.cpu.utilization", [T0], [0.3], MetricKind.Gauge, ("state", "user"))), Deadline);

        IReadOnlyList<StoredSeries> ByMatchers(string? prefix, params LabelMatcher[] matchers) =>
            store.ListSeries(new SeriesSelector(null, prefix, matchers), 100).Series;

        Assert.Equal(4, ByMatchers("system.").Count);
        Assert.Equal(3, ByMatchers(null, new LabelMatcher { Key = "host", Value = "web-01" }).Count);
        Assert.Equal(3, ByMatchers(null, new LabelMatcher { Key = "env", Value = "prod" }).Count);
        Assert.Single(ByMatchers(null, new LabelMatcher { Key = "env", Op = MatchOp.NotEqual, Value = "prod" }));
        Assert.Equal(2, ByMatchers("system.cpu", new LabelMatcher { Key = "host", Op = MatchOp.Regex, Value = "(web|db)-0[0-9]" }, new LabelMatcher { Key = "state", Value = "user" }).Count);
        Assert.Single(ByMatchers("system.cpu", new LabelMatcher { Key = "state", Op = MatchOp.NotRegex, Value = "u.*" }));
        Assert.Empty(ByMatchers(null, new LabelMatcher { Key = "host", Op = MatchOp.Regex, Value = "web" })); // anchored
        StoredSeries described = ByMatchers("system.memory")[0];
        Assert.Equal(["agent_id", "env", "host"], described.Labels.Select(l => l.Key));
        Assert.Equal("web-01", described.Hostname);
        Assert.Throws<ArgumentException>(() => ByMatchers(null, new LabelMatcher { Key = "host", Op = MatchOp.Regex, Value = "(" }));
    }

    [Fact]
    public async Task Query_StepAggregation_MergesChunksAndHead()
    {
        await using var harness = new StoreHarness(o => o.MaxSamplesPerChunk = 16);
        SqliteTelemetryStore store = await harness.OpenAsync();
        long[] times = [.. Enumerable.Range(0, 60).Select(i => T0 + (i * 1000L))];
        double[] values = [.. Enumerable.Range(0, 60).Select(i => (double)i)];
        for (int i = 0; i < 60; i += 5)
        {
            await store.AppendAsync("a", Batch((ulong)i + 1, Series("m", times[i..(i + 5)], values[i..(i + 5)])), Deadline);
        }

        var query = new MetricQuery(new SeriesSelector("m", null, []), T0, T0 + 59_999, 20_000, Aggregation.Avg, 10);
        SeriesSamples series = Assert.Single(store.Query(query).Series);

        Assert.Equal([T0, T0 + 20_000, T0 + 40_000], series.TimestampsUnixMs);
        Assert.Equal([9.5, 29.5, 49.5], series.Values);
        Assert.True(harness.Sql<long>("SELECT count(*) FROM chunks;") >= 2);
    }

    [Fact]
    public async Task Query_CorruptChunk_SkipsItAndMaintenanceQuarantinesIt()
    {
        await using var harness = new StoreHarness(o => o.MaxSamplesPerChunk = 16);
        SqliteTelemetryStore store = await harness.OpenAsync();
        long[] times = [.. Enumerable.Range(0, 40).Select(i => T0 + (i * 1000L))];
        await store.AppendAsync("a", Batch(1, Series("m", times, [.. times.Select(t => 1.5)])), Deadline);
        await store.CheckpointAsync(Deadline);
        long victim = harness.Sql<long>("SELECT min(chunk_id) FROM chunks;");
        harness.Sql<long>($"UPDATE chunks SET data = x'0102030405060708' WHERE chunk_id = {victim};");

        SeriesSamples series = Assert.Single(store.Query(Raw("m", T0, T0 + 100_000)).Series);
        await store.RunMaintenanceAsync(Deadline);

        Assert.Equal(24, series.Values.Length); // 40 samples minus the 16 of the damaged chunk
        Assert.Equal(1L, harness.Sql<long>("SELECT count(*) FROM quarantine WHERE kind = 'chunk';"));
        Assert.Equal(0L, harness.Sql<long>($"SELECT count(*) FROM chunks WHERE chunk_id = {victim};"));
        Assert.Equal(1, harness.Counters.CorruptRecords);
    }

    [Fact]
    public async Task StartAsync_CorruptWriteAheadRecord_QuarantinesItAndRecoversTheRest()
    {
        await using var harness = new StoreHarness();
        SqliteTelemetryStore store = await harness.OpenAsync();
        await store.AppendAsync("a", Batch(1, Series("m", [T0], [1])), Deadline);
        await store.AppendAsync("a", Batch(2, Series("m", [T0 + 1000], [2])), Deadline);
        await store.AppendAsync("a", Batch(3, Series("m", [T0 + 2000], [3])), Deadline);
        await store.StopWithoutCheckpointAsync(Deadline);
        long middle = harness.Sql<long>("SELECT wal_id FROM wal ORDER BY wal_id LIMIT 1 OFFSET 1;");
        harness.Sql<long>($"UPDATE wal SET data = x'01ffff' WHERE wal_id = {middle};");

        await harness.OpenAsync();

        SeriesSamples series = Assert.Single(harness.Store.Query(Raw("m", T0, T0 + 5000)).Series);
        Assert.Equal([1.0, 3.0], series.Values);
        Assert.Equal(1L, harness.Sql<long>("SELECT count(*) FROM quarantine WHERE kind = 'wal';"));
        Assert.Equal(1, harness.Counters.CorruptRecords);
    }

    [Fact]
    public async Task StartAsync_FileIsNotADatabase_ThrowsWithPathAndFix()
    {
        await using var harness = new StoreHarness();
        Directory.CreateDirectory(harness.Directory);
        await File.WriteAllTextAsync(harness.Options.DatabasePath, new string('x', 8192), Deadline);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => harness.OpenAsync());

        Assert.Contains(harness.Options.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("restore it from a backup", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendAsync_WriterBlocked_WaitsAtQueueBoundInsteadOfGrowing()
    {
        await using var harness = new StoreHarness(o =>
        {
            o.QueueCapacity = 4;
            o.MaxBatchesPerCommit = 1;
        });
        var sink = new BlockingSink();
        harness.AddSink(sink);
        SqliteTelemetryStore store = await harness.OpenAsync();

        var appends = new List<Task<AppendResult>>();
        appends.Add(store.AppendAsync("a", Batch(1, Series("m", [T0], [1])), Deadline).AsTask());
        await sink.Entered.WaitAsync(Deadline); // the writer now holds batch 1 inside its transaction
        for (ulong s = 2; s <= 7; s++)
        {
            appends.Add(store.AppendAsync("a", Batch(s, Series("m", [T0 + (long)s], [s])), Deadline).AsTask());
        }

        // Four fit in the queue; the other two wait for room (no timing involved: the writer cannot move).
        Assert.Equal(2, harness.Counters.BackpressureWaits);
        Assert.Equal(6, harness.Counters.QueueDepth);
        Assert.All(appends, a => Assert.False(a.IsCompleted));

        sink.Release.Release(100);
        AppendResult[] results = await Task.WhenAll(appends).WaitAsync(Deadline);
        Assert.All(results, r => Assert.Equal(AppendStatus.Stored, r.Status));
        Assert.Equal(0, harness.Counters.QueueDepth);
    }

    [Fact]
    public async Task AppendAsync_Observer_ReceivesCommittedBatchWithSeriesIds()
    {
        await using var harness = new StoreHarness();
        var observer = new RecordingObserver();
        SqliteTelemetryStore store = await harness.OpenAsync([observer]);

        await store.AppendAsync("a", Batch(1, Series("m", [T0], [1]), Series("n", [T0], [2])), Deadline);
        CommittedBatch committed = await observer.Received.Reader.ReadAsync(Deadline);

        Assert.Equal("a", committed.AgentId);
        Assert.Equal(2, committed.SeriesIds.Length);
        Assert.All(committed.SeriesIds, id => Assert.NotEqual(0UL, id));
    }

    [Fact]
    public async Task StartAsync_CorruptHeadSnapshot_QuarantinesItAndKeepsTheRest()
    {
        await using var harness = new StoreHarness();
        SqliteTelemetryStore store = await harness.OpenAsync();
        await store.AppendAsync("a", Batch(1, Series("m", [T0], [1]), Series("n", [T0], [2])), Deadline);
        await harness.ReopenAsync(clean: true);
        await harness.Store.StopAsync(Deadline);
        harness.Sql<long>("UPDATE heads SET data = x'00112233445566' WHERE series_id = (SELECT min(series_id) FROM series);");

        await harness.OpenAsync();

        Assert.Empty(Assert.Single(harness.Store.Query(Raw("m", T0, T0 + 1000)).Series).Values);
        Assert.Equal([2.0], Assert.Single(harness.Store.Query(Raw("n", T0, T0 + 1000)).Series).Values);
        Assert.Equal(1L, harness.Sql<long>("SELECT count(*) FROM quarantine WHERE kind = 'head';"));
        Assert.Equal(1, harness.Counters.CorruptRecords);
    }

    [Fact]
    public async Task AppendAsync_ObserverStalled_DropsAndCountsInsteadOfBlockingTheWriter()
    {
        await using var harness = new StoreHarness(o => o.ObserverQueueCapacity = 1);
        var observer = new StalledObserver();
        SqliteTelemetryStore store = await harness.OpenAsync([observer]);

        for (ulong s = 1; s <= 5; s++)
        {
            await store.AppendAsync("a", Batch(s, Series("m", [T0 + (long)s], [s])), Deadline); // completes: the writer never waits
        }

        await observer.Entered.WaitAsync(Deadline);
        Assert.True(harness.Counters.ObserverDrops >= 3, $"{harness.Counters.ObserverDrops} drops");
        observer.Release.SetResult();
    }

    [Fact]
    public async Task AppendAsync_CommitFails_ReportsFailureStoresNothingAndRecovers()
    {
        await using var harness = new StoreHarness();
        var sink = new FailingSink();
        harness.AddSink(sink);
        SqliteTelemetryStore store = await harness.OpenAsync();
        await store.AppendAsync("a", Batch(1, Series("m", [T0], [1])), Deadline);

        sink.Fail = true;
        var error = await Assert.ThrowsAsync<StorageUnavailableException>(
            async () => await store.AppendAsync("a", Batch(2, Series("m", [T0 + 1000], [2]), Series("new", [T0], [9])), Deadline));
        sink.Fail = false;
        AppendResult retried = await store.AppendAsync("a", Batch(2, Series("m", [T0 + 1000], [2]), Series("new", [T0], [9])), Deadline);

        Assert.Contains("will resend", error.Message, StringComparison.Ordinal);
        Assert.Equal(AppendStatus.Stored, retried.Status); // the failed attempt left no exactly-once record behind
        Assert.Equal([1.0, 2], Assert.Single(store.Query(Raw("m", T0, T0 + 5000)).Series).Values);
        Assert.Equal([9.0], Assert.Single(store.Query(Raw("new", T0, T0 + 5000)).Series).Values);
        Assert.Equal(1, harness.Counters.CommitFailures);
    }

    private sealed class FailingSink : IBatchSink
    {
        public bool Fail { get; set; }

        public void Write(BatchSinkContext context, TelemetryBatch batch)
        {
            if (Fail)
            {
                throw new IOException("simulated disk error");
            }
        }
    }

    private sealed class StalledObserver : IIngestObserver
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public async ValueTask OnCommittedAsync(CommittedBatch batch, CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
        }
    }

    private sealed class BlockingSink : IBatchSink
    {
        public SemaphoreSlim Release { get; } = new(0);

        public Task Entered => _entered.Task;

        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Write(BatchSinkContext context, TelemetryBatch batch)
        {
            _entered.TrySetResult();
            if (!Release.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("The test never released the sink.");
            }
        }
    }

    private sealed class RecordingObserver : IIngestObserver
    {
        public System.Threading.Channels.Channel<CommittedBatch> Received { get; } = System.Threading.Channels.Channel.CreateUnbounded<CommittedBatch>();

        public ValueTask OnCommittedAsync(CommittedBatch batch, CancellationToken cancellationToken) =>
            Received.Writer.WriteAsync(batch, cancellationToken);
    }
}
