using OpsAgent.Agent.Outbox;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Outbox;

/// <summary>What every <see cref="IOutbox"/> promises the uplink, run against each implementation.</summary>
public abstract class OutboxContractTests : IDisposable
{
    private protected TempDirectory Dir { get; } = new();

    public virtual void Dispose()
    {
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }

    private protected abstract IOutbox CreateOutbox();

    private protected static TelemetryBatch Batch(int payloadBytes, int marker = 1)
    {
        var series = new MetricSeries { Name = "test.metric", Unit = new string('x', payloadBytes) };
        series.TimestampsUnixMs.Add(marker);
        series.Values.Add(marker);
        return new TelemetryBatch { Metrics = { series } };
    }

    private protected static CancellationToken Timeout(int seconds = 5)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        return cts.Token;
    }

    [Fact]
    public async Task ReadAsync_MixedLanes_YieldsHigherPriorityFirstThenBySequence()
    {
        IOutbox outbox = CreateOutbox();
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
        Assert.Equal(logs, outbox.OldestUnacknowledgedSequence);
    }

    [Fact]
    public async Task OpenReader_AfterReconnect_ResendsEverythingNotAcknowledged()
    {
        IOutbox outbox = CreateOutbox();
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
        Assert.Equal(1, outbox.GetStatistics().Batches);
    }

    [Fact]
    public async Task ReadAsync_Empty_WaitsForNextEnqueue()
    {
        IOutbox outbox = CreateOutbox();
        IOutboxReader reader = outbox.OpenReader();
        ValueTask<OutboxEntry> pending = reader.ReadAsync(Timeout());
        Assert.False(pending.IsCompleted);

        ulong sequence = await outbox.EnqueueAsync(Batch(10), OutboxLane.Metrics, Timeout());

        Assert.Equal(sequence, (await pending).Sequence);
    }

    [Fact]
    public async Task Acknowledge_UnknownOrRepeatedSequence_Ignored()
    {
        IOutbox outbox = CreateOutbox();
        ulong a = await outbox.EnqueueAsync(Batch(10), OutboxLane.Metrics, Timeout());
        outbox.Acknowledge(a);

        outbox.Acknowledge(a);
        outbox.Acknowledge(a + 1000);

        OutboxStatistics stats = outbox.GetStatistics();
        Assert.Equal(0, stats.Batches);
        Assert.Equal(1, stats.AcknowledgedBatches);
    }
}
