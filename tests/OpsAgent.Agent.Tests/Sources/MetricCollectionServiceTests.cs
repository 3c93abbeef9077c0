using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpsAgent.Agent.Configuration;
using OpsAgent.Agent.Outbox;
using OpsAgent.Agent.Sources;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Sources;

public sealed class MetricCollectionServiceTests
{
    [Fact]
    public void ToBatch_Samples_OneSeriesPerSampleWithSortedLabelsAndCycleTimestamp()
    {
        var buffer = new MetricBuffer(1_700_000_000_000);
        buffer.Gauge("system.cpu.utilization", "1", 0.25, new MetricLabel("state", "user"), new MetricLabel("cpu", "0"));
        buffer.Counter("system.network.io", "By", 12345, new MetricLabel("device", "eth0"));

        TelemetryBatch batch = MetricCollectionService.ToBatch(buffer);

        Assert.Equal(2, batch.Metrics.Count);
        MetricSeries cpu = batch.Metrics[0];
        Assert.Equal("system.cpu.utilization", cpu.Name);
        Assert.Equal(MetricKind.Gauge, cpu.Kind);
        Assert.Equal(["cpu", "state"], cpu.Labels.Select(l => l.Key));
        Assert.Equal([1_700_000_000_000L], cpu.TimestampsUnixMs);
        Assert.Equal([0.25], cpu.Values);
        Assert.Equal(MetricKind.Counter, batch.Metrics[1].Kind);
    }

    [Fact]
    public void NextTimestamp_TimerFiresEarlyOrLate_TheScheduledBoundaryEachCycleNeverTwice()
    {
        using var dir = new TempDirectory();
        var service = new MetricCollectionService(
            [], new MemoryOutbox(new SequenceAllocator(dir.Path), 1 << 20, NullLogger<MemoryOutbox>.Instance), new SourceErrorCounter(TimeProvider.System),
            Options.Create(new AgentOptions { Metrics = { IntervalSeconds = 1 } }), new FakeTimeProvider(), NullLogger<MetricCollectionService>.Instance);
        const long Boundary = 1_700_000_000_000;

        // Two milliseconds early, then on time, then 400 ms late: three boundaries, in order.
        long early = service.NextTimestamp(Boundary - 2);
        long onTime = service.NextTimestamp(Boundary + 1000);
        long late = service.NextTimestamp(Boundary + 2400);

        // A cycle run twice in the same second (a stall, then the timer catching up) still gets its own time.
        long again = service.NextTimestamp(Boundary + 2410);

        Assert.Equal([Boundary, Boundary + 1000, Boundary + 2000, Boundary + 3000], [early, onTime, late, again]);
    }

    [Fact]
    public void Gauge_NaNOrInfinity_IsLeftOutRatherThanSent()
    {
        var buffer = new MetricBuffer(0);
        buffer.Gauge("a", "1", double.NaN);
        buffer.Gauge("b", "1", double.PositiveInfinity);
        buffer.Gauge("c", "1", 1);

        Assert.Equal(["c"], buffer.Samples.Select(s => s.Name));
    }
}
