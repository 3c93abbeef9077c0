using Microsoft.Extensions.Logging.Abstractions;
using OpsAgent.Agent.Outbox;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Outbox;

public sealed class MemoryOutboxTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private MemoryOutbox Create(long maxBytes) =>
        new(new SequenceAllocator(_dir.Path), maxBytes, NullLogger<MemoryOutbox>.Instance);

    private static TelemetryBatch Batch(int payloadBytes)
    {
        var series = new MetricSeries { Name = "test.metric", Unit = new string('x', payloadBytes) };
        series.TimestampsUnixMs.Add(1);
        series.Values.Add(1);
        return new TelemetryBatch { Metrics = { series } };
    }

    private static CancellationToken Timeout(int seconds = 5)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        return cts.Token;
    }

    [Fact]
    public async Task ReadAsync_MixedLanes_YieldsHigherPriorityFirstThenBySequence()
    {
        MemoryOutbox outbox = Create(1 << 20);
        ulong logs = await outbox.EnqueueAsync(Batch(10), OutboxLane.Logs, Timeout());
        ulong metrics1 = await outbox.EnqueueAsync(Batch(10), OutboxLane.Metrics, Timeout());
        ulong control = await outbox.EnqueueAsync(Batch(10), OutboxLane.Control, Timeout());
        ulong metrics2 = await outbox.EnqueueAsync(Batch(10), OutboxLane.Metrics, Timeout());

        IOutboxReader reader = outbox.OpenReader();
        var order = new List<ulong>();
        for (int i = 0; i < 4; i++)
        {
            order.Add((await reader.ReadAsync(Timeout())).Sequence);
        }

        Assert.Equal([control, metrics1, metrics2, logs], order);
    }

    [Fact]
    public async Task OpenReader_AfterReconnect_ResendsEverythingNotAcknowledged()
    {
        MemoryOutbox outbox = Create(1 << 20);
        ulong a = await outbox.EnqueueAsync(Batch(10), OutboxLane.Metrics, Timeout());
        ulong b = await outbox.EnqueueAsync(Batch(10), OutboxLane.Metrics, Timeout());
        IOutboxReader first = outbox.OpenReader();
        await first.ReadAsync(Timeout());
        await first.ReadAsync(Timeout());
        outbox.Acknowledge(a);

        IOutboxReader second = outbox.OpenReader();
        OutboxEntry resent = await second.ReadAsync(Timeout());

        Assert.Equal(b, resent.Sequence);
        Assert.Equal(b, outbox.OldestUnacknowledgedSequence);
    }

    [Fact]
    public async Task ReadAsync_Empty_WaitsForNextEnqueue()
    {
        MemoryOutbox outbox = Create(1 << 20);
        IOutboxReader reader = outbox.OpenReader();
        ValueTask<OutboxEntry> pending = reader.ReadAsync(Timeout());
        Assert.False(pending.IsCompleted);

        ulong sequence = await outbox.EnqueueAsync(Batch(10), OutboxLane.Metrics, Timeout());

        Assert.Equal(sequence, (await pending).Sequence);
    }

    [Fact]
    public async Task EnqueueAsync_Full_DropsOldestOfLowestLaneAndCounts()
    {
        int size = Batch(1000).CalculateSize() + 10;
        MemoryOutbox outbox = Create(4 * size);
        ulong control = await outbox.EnqueueAsync(Batch(1000), OutboxLane.Control, Timeout());
        ulong oldLog = await outbox.EnqueueAsync(Batch(1000), OutboxLane.Logs, Timeout());
        ulong metric = await outbox.EnqueueAsync(Batch(1000), OutboxLane.Metrics, Timeout());
        ulong newLog = await outbox.EnqueueAsync(Batch(1000), OutboxLane.Logs, Timeout());

        ulong another = await outbox.EnqueueAsync(Batch(1000), OutboxLane.Metrics, Timeout());

        OutboxStatistics stats = outbox.GetStatistics();
        Assert.Equal(1, stats.DroppedBatches[OutboxLane.Logs]);
        Assert.Equal(0, stats.DroppedBatches[OutboxLane.Metrics]);
        IOutboxReader reader = outbox.OpenReader();
        var held = new List<ulong>();
        for (int i = 0; i < 4; i++)
        {
            held.Add((await reader.ReadAsync(Timeout())).Sequence);
        }

        Assert.Equal([control, metric, another, newLog], held);
        Assert.DoesNotContain(oldLog, held);
    }

    [Fact]
    public async Task EnqueueAsync_FullOfMoreImportantData_DropsTheNewcomerNotTheImportantData()
    {
        int size = Batch(1000).CalculateSize() + 10;
        MemoryOutbox outbox = Create(2 * size);
        await outbox.EnqueueAsync(Batch(1000), OutboxLane.Control, Timeout());
        await outbox.EnqueueAsync(Batch(1000), OutboxLane.Control, Timeout());

        await outbox.EnqueueAsync(Batch(1000), OutboxLane.Logs, Timeout());

        OutboxStatistics stats = outbox.GetStatistics();
        Assert.Equal(2, stats.Batches);
        Assert.Equal(0, stats.DroppedBatches[OutboxLane.Control]);
        Assert.Equal(1, stats.DroppedBatches[OutboxLane.Logs]);
    }
}
