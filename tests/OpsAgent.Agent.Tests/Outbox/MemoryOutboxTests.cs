using Microsoft.Extensions.Logging.Abstractions;
using OpsAgent.Agent.Outbox;

namespace OpsAgent.Agent.Tests.Outbox;

public sealed class MemoryOutboxTests : OutboxContractTests
{
    private protected override IOutbox CreateOutbox() => Create(1 << 20);

    private MemoryOutbox Create(long maxBytes) =>
        new(new SequenceAllocator(Dir.Path), maxBytes, NullLogger<MemoryOutbox>.Instance);

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
