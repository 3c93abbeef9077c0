using OpsAgent.Collector.Detection;
using OpsAgent.Collector.Storage;
using DetectionEvent = OpsAgent.Collector.Detection.DetectionEvent;
using MetricKind = OpsAgent.Protocol.MetricKind;

namespace OpsAgent.Collector.Tests.Detection;

public sealed class DetectionPipelineTests
{
    private const int Samples = 2000;
    private const int Fault = 1500;
    private const int FaultEnd = 1700;

    private static double[] Shifted(int seed) => Signals.Shift(Signals.Cycle(Samples, 50, 20, 1, seed), Fault, FaultEnd, 60);

    [Fact]
    public async Task Route_OverlappingAnomaliesOfOneHost_OneIncidentPerHostAndOneOpenedEventEach()
    {
        await using var harness = new DetectionHarness(o => o.IncidentMergeGap = TimeSpan.FromMinutes(5));
        harness.Start();
        harness.Hello("a-web", "web-1", ("env", "prod"), ("role", "web"));
        harness.Hello("a-db", "db-1");
        using DetectionSubscription events = harness.Events.Subscribe(10_000);
        long[] t = Signals.Timestamps(Samples);

        // Interleaved in time, as agents send them: every host's series batch by batch.
        for (int from = 0; from < Samples; from += 60)
        {
            int to = Math.Min(Samples, from + 60);
            harness.Route("a-web",
                DetectionHarness.Series("system.cpu.utilization", t[from..to], Shifted(1)[from..to]),
                DetectionHarness.Series("system.memory.utilization", t[from..to], Shifted(2)[from..to], labels: ("state", "used")));
            harness.Route("a-db", DetectionHarness.Series("system.cpu.utilization", t[from..to], Shifted(3)[from..to]));
        }

        await harness.TickAsync(t[^1] + (6 * 60_000));

        List<IncidentRecord> incidents = harness.Incidents();
        Assert.Equal(2, incidents.Count);
        IncidentRecord web = Assert.Single(incidents, i => i.Hostname == "web-1");
        Assert.Equal(2, web.AnomalyCount);
        Assert.Equal(["system.cpu.utilization", "system.memory.utilization"], web.Metrics.Order());
        Assert.Equal("prod", web.HostLabels["env"]);
        Assert.False(web.Open);
        Assert.Equal(Resolution.Recovered, web.Resolution);
        Assert.InRange(web.OpenedUnixMs, t[Fault], t[Fault + 5]);
        Assert.All(harness.Anomalies(), a => Assert.Equal(Resolution.Recovered, a.Resolution));
        Assert.Equal(3, harness.Anomalies().Count);

        List<DetectionEvent> published = DetectionHarness.Drain(events);
        Assert.Equal(2, published.Count(e => e.Kind == DetectionEventKind.IncidentOpened));
        Assert.Equal(2, published.Count(e => e.Kind == DetectionEventKind.IncidentResolved));
        Assert.Equal(3, published.Count(e => e.Kind == DetectionEventKind.AnomalyOpened));
        Assert.Equal(published.Select(e => e.Sequence), published.Select(e => e.Sequence).Order());
        DetectionEvent resolved = published.Last(e => e.Kind == DetectionEventKind.IncidentResolved && e.Incident!.Hostname == "web-1");
        Assert.True(resolved.Incident!.ResolvedUnixMs >= t[FaultEnd]);
        Assert.Equal(3, harness.Metrics.SeriesTracked);
    }

    [Fact]
    public async Task Route_AnomalyAfterTheMergeGap_OpensASecondIncident()
    {
        await using var harness = new DetectionHarness(o => o.IncidentMergeGap = TimeSpan.Zero);
        harness.Start();
        long[] t = Signals.Timestamps(2800);
        double[] v = Signals.Shift(Signals.Cycle(2800, 50, 20, 1, seed: 4), 2400, 2550, -60);
        v[1500] += 90;

        harness.Feed("a-1", "system.cpu.utilization", t, v);
        await harness.SettleAsync();

        List<int> starts = [.. harness.Anomalies().Select(a => (int)((a.StartedUnixMs - t[0]) / Signals.StepMs)).Order()];
        Assert.Equal(2, starts.Count);
        Assert.Equal(1500, starts[0]);
        Assert.InRange(starts[1], 2400, 2405);
        List<IncidentRecord> incidents = harness.Incidents();
        Assert.Equal(2, incidents.Count);
        Assert.All(incidents, i => Assert.False(i.Open));
        Assert.Equal(2, harness.Anomalies().Select(a => a.IncidentId).Distinct().Count());
    }

    [Fact]
    public async Task Restart_StateSavedOnStop_ContinuesExactlyAndKeepsTheOpenIncident()
    {
        // The collector stops in the middle of an anomaly and starts again on the same file.
        await using var harness = new DetectionHarness();
        long[] t = Signals.Timestamps(Samples);
        double[] v = Shifted(5);
        const int stopAt = Fault + 60;
        harness.Start();
        harness.Feed("a-1", "system.cpu.utilization", t[..stopAt], v[..stopAt]);
        await harness.SettleAsync();
        long incidentId = Assert.Single(harness.Incidents()).IncidentId;
        await harness.StopAsync();

        harness.Start();
        harness.Feed("a-1", "system.cpu.utilization", t[stopAt..], v[stopAt..]);
        await harness.StopAsync();

        // The saved state equals that of a detector that never stopped: every score after the restart was the same.
        var reference = new SeriesDetector(
            new SeriesIdentity(1, "a-1", "a-1", "system.cpu.utilization", [], MetricKind.Gauge, "1", new Dictionary<string, string>()),
            SeriesTreatment.Detect,
            DetectionSettings.From(harness.Options));
        var signals = new List<AnomalySignal>();
        reference.Process(t, v, signals);
        Assert.Equal(reference.Checkpoint(), harness.SavedState(1));
        Assert.Equal(1, harness.Metrics.StatesRestored);

        // One anomaly and one incident, opened before the stop and resolved after it.
        AnomalyRecord anomaly = Assert.Single(harness.Anomalies());
        Assert.Equal(incidentId, anomaly.IncidentId);
        Assert.Equal(Resolution.Recovered, anomaly.Resolution);
        Assert.Equal(signals.Single(s => s.Kind == AnomalySignalKind.Resolved).Anomaly.ResolvedUnixMs, anomaly.ResolvedUnixMs);
        Assert.Equal(incidentId, Assert.Single(harness.Incidents()).IncidentId);
    }

    [Fact]
    public async Task Route_Counter_IsWatchedAsARate()
    {
        await using var harness = new DetectionHarness();
        harness.Start();
        double[] rate = Signals.Cycle(Samples, 100, 20, 2, seed: 6);
        for (int i = Fault; i < Fault + 6; i++)
        {
            rate[i] = 2000;
        }

        harness.Feed("a-1", "system.network.io", Signals.Timestamps(Samples), Signals.Counter(rate), MetricKind.Counter, "By", labels: ("device", "eth0"));
        await harness.SettleAsync();

        AnomalyRecord anomaly = Assert.Single(harness.Anomalies());
        Assert.InRange(anomaly.Value, 1990, 2010);
        Assert.StartsWith("system.network.io{device=eth0} on a-1 at 1.95 KiB/s (usually ", anomaly.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_ExcludedSeries_AreNotWatched()
    {
        await using var harness = new DetectionHarness(o => o.Exclude = ["custom.*"]);
        harness.Start();
        long[] t = Signals.Timestamps(10);
        double[] v = Signals.Cycle(10, 50, 20, 1, seed: 7);

        harness.Route("a-1",
            DetectionHarness.Series("system.uptime", t, v, unit: "s"),
            DetectionHarness.Series("system.memory.limit", t, v, unit: "By"),
            DetectionHarness.Series("system.cpu.time", t, v, MetricKind.Counter, "s"),
            DetectionHarness.Series("custom.thing", t, v),
            DetectionHarness.Series("system.cpu.utilization", t, v));
        await harness.SettleAsync();

        Assert.Equal(1, harness.Metrics.SeriesTracked);
        Assert.Equal(10, harness.Metrics.SamplesScored);
    }

    [Fact]
    public async Task Route_MoreSeriesThanMaxSeries_TheRestAreCountedNotScored()
    {
        await using var harness = new DetectionHarness(o => o.MaxSeries = 2);
        harness.Start();
        long[] t = Signals.Timestamps(10);
        double[] v = Signals.Cycle(10, 50, 20, 1, seed: 8);

        harness.Route("a-1",
            DetectionHarness.Series("m.one", t, v),
            DetectionHarness.Series("m.two", t, v),
            DetectionHarness.Series("m.three", t, v));
        await harness.SettleAsync();

        Assert.Equal(2, harness.Metrics.SeriesTracked);
        Assert.Equal(20, harness.Metrics.SamplesScored);
        Assert.Equal(10, harness.Metrics.SamplesDroppedSeriesCap);
    }

    [Fact]
    public async Task Tick_SeriesGoesSilentDuringAnAnomaly_ResolvedAsNoDataThenEvictedAndRestoredWhenItReturns()
    {
        await using var harness = new DetectionHarness(o =>
        {
            o.StaleAfter = TimeSpan.FromMinutes(30);
            o.IdleAfter = TimeSpan.FromHours(1);
            o.IncidentMergeGap = TimeSpan.Zero;
        });
        harness.Start();
        long[] t = Signals.Timestamps(Fault + 30);
        double[] v = Shifted(9)[..(Fault + 30)];
        harness.Feed("a-1", "system.cpu.utilization", t, v);
        await harness.SettleAsync();
        Assert.True(Assert.Single(harness.Anomalies()).Open);

        await harness.TickAsync(t[^1] + (31 * 60_000));

        AnomalyRecord anomaly = Assert.Single(harness.Anomalies());
        Assert.Equal(Resolution.NoData, anomaly.Resolution);
        Assert.False(Assert.Single(harness.Incidents()).Open);
        Assert.Equal(1, harness.Metrics.SeriesTracked);

        await harness.TickAsync(t[^1] + (61 * 60_000));
        Assert.Equal(0, harness.Metrics.SeriesTracked);

        long back = t[^1] + (62 * 60_000);
        harness.Route("a-1", DetectionHarness.Series("system.cpu.utilization", [back], [50]));
        await harness.SettleAsync();
        Assert.Equal(1, harness.Metrics.SeriesTracked);
        Assert.Equal(1, harness.Metrics.StatesRestored);
    }

    [Fact]
    public async Task ResolveIncidentAsync_OpenIncident_ResolvesItAndItsAnomaliesAsManual()
    {
        await using var harness = new DetectionHarness();
        harness.Start();
        long[] t = Signals.Timestamps(Fault + 30);
        harness.Feed("a-1", "system.cpu.utilization", t, Shifted(10)[..(Fault + 30)]);
        await harness.SettleAsync();
        IncidentRecord open = Assert.Single(harness.Incidents());

        IncidentRecord? resolved = await harness.Tracker.ResolveIncidentAsync(open.IncidentId, DetectionHarness.Deadline);
        IncidentRecord? again = await harness.Tracker.ResolveIncidentAsync(open.IncidentId, DetectionHarness.Deadline);

        Assert.NotNull(resolved);
        Assert.Equal(Resolution.Manual, resolved.Resolution);
        Assert.Null(again);
        Assert.Equal(Resolution.Manual, Assert.Single(harness.Anomalies()).Resolution);
        Assert.False(Assert.Single(harness.Incidents()).Open);
    }

    [Fact]
    public async Task ResolveIncidentAsync_ByAPlaybook_RecordsWhoAndWhyAndAnnotateReachesAClosedIncident()
    {
        await using var harness = new DetectionHarness();
        harness.Start();
        long[] t = Signals.Timestamps(Fault + 30);
        harness.Feed("a-1", "system.cpu.utilization", t, Shifted(10)[..(Fault + 30)]);
        await harness.SettleAsync();
        IncidentRecord open = Assert.Single(harness.Incidents());

        IncidentRecord? resolved = await harness.Tracker.ResolveIncidentAsync(open.IncidentId, "playbook:cpu-fix", "restarted the worker; CPU back to normal", DetectionHarness.Deadline);
        IncidentRecord? noted = await harness.Tracker.AnnotateIncidentAsync(open.IncidentId, "and escalated later", DetectionHarness.Deadline);
        IncidentRecord? missing = await harness.Tracker.AnnotateIncidentAsync(open.IncidentId + 100, "nothing", DetectionHarness.Deadline);

        Assert.Equal(("playbook:cpu-fix", "restarted the worker; CPU back to normal"), (resolved!.ResolvedBy, resolved.Note));
        Assert.Equal("and escalated later", noted!.Note);
        Assert.Null(missing);
        IncidentRecord stored = harness.Queries.GetIncident(open.IncidentId)!.Value.Incident;
        Assert.Equal(("playbook:cpu-fix", "and escalated later", Resolution.Manual), (stored.ResolvedBy, stored.Note, stored.Resolution));
    }

    [Fact]
    public async Task TryPost_WorkerQueueFull_SamplesDroppedAndCounted()
    {
        await using var harness = new DetectionHarness(o =>
        {
            o.Workers = 1;
            o.QueueCapacity = 2;
        });
        harness.Start();
        await harness.Pipeline.StopAsync(DetectionHarness.Deadline);
        var metrics = new DetectionMetrics();

        // A worker that is not started takes nothing off its queue.
        await using var worker = new DetectionWorker(0, 1, new DetectorStateStore(harness.Database), harness.Tracker, new SeriesClassifier(harness.Options),
            new SeriesBudget(10), harness.Options, metrics, harness.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var work = new SamplesWork("a-1", "web-1", new Dictionary<string, string>(), [], samples: 7);

        Assert.True(worker.TryPost(work));
        Assert.True(worker.TryPost(work));
        Assert.False(worker.TryPost(work));
        Assert.False(worker.TryPost(work));
        Assert.Equal(14, metrics.SamplesDroppedQueueFull);
        Assert.Equal(2, worker.QueueDepth);

        // However few slices wait, the samples they hold are bounded too.
        await using var other = new DetectionWorker(0, 1, new DetectorStateStore(harness.Database), harness.Tracker, new SeriesClassifier(harness.Options),
            new SeriesBudget(10), harness.Options, metrics, harness.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.False(other.TryPost(new SamplesWork("a-1", "web-1", new Dictionary<string, string>(), [], DetectionWorker.MaxQueuedSamples + 1)));
        Assert.Equal(0, other.QueueDepth);
    }

    [Fact]
    public async Task Store_CommittedBatches_ReachDetectionThroughTheIngestObserver()
    {
        await using var harness = new DetectionHarness();
        harness.Start();
        var storage = new StorageOptions { DataDirectory = harness.Directory };
        await using var store = new SqliteTelemetryStore(
            harness.Database, Microsoft.Extensions.Options.Options.Create(storage), harness.Agents, [], [new DetectionObserver(harness.Pipeline)],
            new StoreCounters(), harness.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteTelemetryStore>.Instance);
        await store.StartAsync(DetectionHarness.Deadline);
        long[] t = Signals.Timestamps(Fault + 10);
        double[] v = Shifted(11)[..(Fault + 10)];

        for (int from = 0, seq = 1; from < t.Length; from += 100, seq++)
        {
            int to = Math.Min(t.Length, from + 100);
            var batch = new OpsAgent.Protocol.TelemetryBatch { Sequence = (ulong)seq };
            batch.Metrics.Add(DetectionHarness.Series("system.cpu.utilization", t[from..to], v[from..to]));
            await store.AppendAsync("a-1", batch, DetectionHarness.Deadline);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (harness.Metrics.SamplesScored < t.Length)
        {
            await Task.Delay(20, deadline.Token);
        }

        await harness.SettleAsync();
        AnomalyRecord anomaly = Assert.Single(harness.Anomalies());
        Assert.Equal(t[Fault], anomaly.StartedUnixMs);
        Assert.Equal(store.ListSeries(new SeriesSelector("system.cpu.utilization", null, []), 10).Series.Single().SeriesId, anomaly.Series.SeriesId);
    }

    [Fact]
    public void Subscribe_SlowSubscriber_LosesEventsAndCountsThem()
    {
        var metrics = new DetectionMetrics();
        var hub = new DetectionEventHub(metrics, TimeProvider.System);
        using DetectionSubscription slow = hub.Subscribe(2);
        using DetectionSubscription fast = hub.Subscribe(100);

        for (int i = 0; i < 5; i++)
        {
            hub.Publish(DetectionEventKind.IncidentUpdated, null, null);
        }

        Assert.Equal(3, slow.Dropped);
        Assert.Equal(0, fast.Dropped);
        Assert.Equal([1L, 2L], DetectionHarness.Drain(slow).Select(e => e.Sequence));
        Assert.Equal(5, DetectionHarness.Drain(fast).Count);
        slow.Dispose();
        Assert.Equal(1, hub.SubscriberCount);
    }
}
