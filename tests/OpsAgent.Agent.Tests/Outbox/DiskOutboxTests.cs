using Microsoft.Extensions.Logging;
using OpsAgent.Agent.Outbox;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Outbox;

public sealed class DiskOutboxTests : OutboxContractTests
{
    private readonly List<DiskOutbox> _opened = [];

    public override void Dispose()
    {
        foreach (DiskOutbox outbox in _opened)
        {
            outbox.Dispose();
        }

        base.Dispose();
    }

    private protected override IOutbox CreateOutbox() => Open();

    private string OutboxDirectory => Path.Combine(Dir.Path, DiskOutbox.DirectoryName);

    private string QuarantineDirectory => Path.Combine(OutboxDirectory, DiskOutbox.QuarantineDirectoryName);

    private DiskOutbox Open(OutboxOptions? options = null, RecordingLogger<DiskOutbox>? logger = null)
    {
        var outbox = new DiskOutbox(Dir.Path, options ?? new OutboxOptions(), new SequenceAllocator(Dir.Path), TimeProvider.System,
            logger ?? new RecordingLogger<DiskOutbox>());
        _opened.Add(outbox);
        return outbox;
    }

    /// <summary>A restart: the old instance flushes and closes (or, for a crash, is abandoned) and a new one opens the same directory.</summary>
    private DiskOutbox Reopen(DiskOutbox old, OutboxOptions? options = null, RecordingLogger<DiskOutbox>? logger = null)
    {
        old.Dispose();
        return Open(options, logger);
    }

    /// <summary>Reads everything the reader has to give right now (stops when it would wait).</summary>
    private static async Task<List<OutboxEntry>> DrainAsync(IOutboxReader reader, bool acknowledge = false, IOutbox? outbox = null)
    {
        var entries = new List<OutboxEntry>();
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            quiet.CancelAfter(TimeSpan.FromMilliseconds(300));
            OutboxEntry entry;
            try
            {
                entry = await reader.ReadAsync(quiet.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                return entries;
            }

            entries.Add(entry);
            if (acknowledge)
            {
                outbox!.Acknowledge(entry.Sequence);
            }
        }
    }

    private string[] SegmentFiles() => Directory.GetFiles(OutboxDirectory, "*" + SegmentFormat.Extension).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task EnqueueAsync_ThenRestart_UnacknowledgedBatchesComeBackWithTheirSequenceNumbers()
    {
        DiskOutbox outbox = Open();
        ulong a = await outbox.EnqueueAsync(Batch(100, 1), OutboxLane.Metrics, Timeout());
        ulong b = await outbox.EnqueueAsync(Batch(100, 2), OutboxLane.Control, Timeout());

        DiskOutbox reopened = Reopen(outbox);
        List<OutboxEntry> entries = await DrainAsync(reopened.OpenReader());

        Assert.Equal([b, a], entries.Select(e => e.Sequence));
        Assert.Equal([b, a], entries.Select(e => e.Batch.Sequence));
        Assert.Equal([2L, 1L], entries.Select(e => e.Batch.Metrics[0].TimestampsUnixMs[0]));
        Assert.Equal(2, reopened.GetStatistics().Batches);
        ulong c = await reopened.EnqueueAsync(Batch(10), OutboxLane.Metrics, Timeout());
        Assert.True(c > b);
    }

    [Fact]
    public async Task EnqueueAsync_ProcessAbandonedWithoutDispose_NothingEnqueuedIsLost()
    {
        // A crash: the instance is never disposed, its group commit never runs; a second instance reads the same files.
        DiskOutbox crashed = Open(new OutboxOptions { Fsync = OutboxFsyncPolicy.Never });
        var sequences = new List<ulong>();
        for (int i = 0; i < 20; i++)
        {
            sequences.Add(await crashed.EnqueueAsync(Batch(500, i), OutboxLane.Metrics, Timeout()));
        }

        var second = new DiskOutbox(Dir.Path, new OutboxOptions(), new SequenceAllocator(Dir.Path), TimeProvider.System, new RecordingLogger<DiskOutbox>());
        _opened.Add(second);
        List<OutboxEntry> entries = await DrainAsync(second.OpenReader());

        Assert.Equal(sequences, entries.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Acknowledge_ThenRestart_AcknowledgedBatchesAreNotResent()
    {
        DiskOutbox outbox = Open();
        var sequences = new List<ulong>();
        for (int i = 0; i < 6; i++)
        {
            sequences.Add(await outbox.EnqueueAsync(Batch(100, i), OutboxLane.Metrics, Timeout()));
        }

        // In order, then one out of order.
        outbox.Acknowledge(sequences[0]);
        outbox.Acknowledge(sequences[1]);
        outbox.Acknowledge(sequences[4]);
        outbox.Flush();

        DiskOutbox reopened = Reopen(outbox);
        List<OutboxEntry> entries = await DrainAsync(reopened.OpenReader());

        Assert.Equal([sequences[2], sequences[3], sequences[5]], entries.Select(e => e.Sequence));
        Assert.Equal(sequences[2], reopened.OldestUnacknowledgedSequence);
    }

    [Fact]
    public async Task Acknowledge_EverythingInSealedSegments_DeletesTheirFiles()
    {
        var options = new OutboxOptions { MaxDiskBytes = 1024 * 1024, SegmentBytes = 64 * 1024 };
        DiskOutbox outbox = Open(options);
        for (int i = 0; i < 40; i++)
        {
            await outbox.EnqueueAsync(Batch(8 * 1024, i), OutboxLane.Metrics, Timeout());
        }

        int before = SegmentFiles().Length;
        List<OutboxEntry> sent = await DrainAsync(outbox.OpenReader(), acknowledge: true, outbox);

        Assert.Equal(40, sent.Count);
        Assert.True(before >= 5, $"expected several 64 KiB segments, found {before}");
        Assert.Single(SegmentFiles());
        OutboxStatistics stats = outbox.GetStatistics();
        Assert.Equal(0, stats.Batches);
        Assert.Equal(40, stats.AcknowledgedBatches);
        Assert.True(stats.Bytes <= 64 * 1024, $"{stats.Bytes} bytes left on disk");
    }

    [Fact]
    public async Task EnqueueAsync_DiskFull_DropsOldestSegmentsOfLowestLaneAndCountsEveryBatch()
    {
        var options = new OutboxOptions { MaxDiskBytes = 1024 * 1024, SegmentBytes = 64 * 1024, MaxMemoryBytes = 64 * 1024 };
        var logger = new RecordingLogger<DiskOutbox>();
        DiskOutbox outbox = Open(options, logger);
        ulong control = await outbox.EnqueueAsync(Batch(8 * 1024), OutboxLane.Control, Timeout());
        var logs = new List<ulong>();
        for (int i = 0; i < 60; i++)
        {
            logs.Add(await outbox.EnqueueAsync(Batch(8 * 1024, i), OutboxLane.Logs, Timeout()));
        }

        var metrics = new List<ulong>();
        for (int i = 0; i < 150; i++)
        {
            metrics.Add(await outbox.EnqueueAsync(Batch(8 * 1024, i), OutboxLane.Metrics, Timeout()));
        }

        OutboxStatistics stats = outbox.GetStatistics();
        Assert.True(stats.Bytes <= options.MaxDiskBytes, $"{stats.Bytes} bytes on disk");
        List<OutboxEntry> held = await DrainAsync(outbox.OpenReader(), acknowledge: true, outbox);
        ulong[] heldSequences = [.. held.Select(e => e.Sequence)];

        // Every log batch went before any metric batch did; the control batch stayed.
        Assert.Equal(60, stats.DroppedBatches[OutboxLane.Logs]);
        Assert.Equal(0, stats.DroppedBatches[OutboxLane.Control]);
        Assert.Contains(control, heldSequences);
        Assert.DoesNotContain(heldSequences, logs.Contains);

        // The metric batches kept are the newest ones, without a gap; the rest are counted.
        long droppedMetrics = stats.DroppedBatches[OutboxLane.Metrics];
        Assert.True(droppedMetrics > 0);
        Assert.Equal(metrics.Skip((int)droppedMetrics), heldSequences.Where(metrics.Contains));
        Assert.Equal(1 + 150 - droppedMetrics, stats.Batches);
        Assert.Contains(logger.Entries, e => e.EventId == 1203 && e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task EnqueueAsync_FullOfMoreImportantData_LowerLaneNeverDisplacesIt()
    {
        var options = new OutboxOptions { MaxDiskBytes = 1024 * 1024, SegmentBytes = 64 * 1024, MaxMemoryBytes = 64 * 1024 };
        DiskOutbox outbox = Open(options);
        for (int i = 0; i < 200; i++)
        {
            await outbox.EnqueueAsync(Batch(8 * 1024, i), OutboxLane.Control, Timeout());
        }

        long controlDropped = outbox.GetStatistics().DroppedBatches[OutboxLane.Control];
        Assert.True(controlDropped > 0);

        // The disk holds only control data now; log batches fill what room is left, then are refused.
        int logs = 0;
        while (outbox.GetStatistics().DroppedBatches[OutboxLane.Logs] == 0 && logs < 20)
        {
            await outbox.EnqueueAsync(Batch(8 * 1024), OutboxLane.Logs, Timeout());
            logs++;
        }

        OutboxStatistics stats = outbox.GetStatistics();
        // Log batches only ever displace older log batches (or are refused): the control data is untouched.
        Assert.True(stats.DroppedBatches[OutboxLane.Logs] >= 1);
        Assert.Equal(controlDropped, stats.DroppedBatches[OutboxLane.Control]);
    }

    [Fact]
    public async Task EnqueueAsync_LargerThanTheWholeOutbox_DroppedAndCounted()
    {
        DiskOutbox outbox = Open(new OutboxOptions { MaxDiskBytes = 1024 * 1024 });

        await outbox.EnqueueAsync(Batch(2 * 1024 * 1024), OutboxLane.Metrics, Timeout());

        Assert.Equal(1, outbox.GetStatistics().DroppedBatches[OutboxLane.Metrics]);
        Assert.Equal(0, outbox.GetStatistics().Batches);
    }

    [Fact]
    public async Task ReadAsync_LongBacklog_MemoryStaysWithinBoundAndEveryBatchArrivesInOrder()
    {
        var options = new OutboxOptions { MaxDiskBytes = 8 * 1024 * 1024, MaxMemoryBytes = 64 * 1024 };
        DiskOutbox outbox = Open(options);
        var sequences = new List<ulong>();
        long peak = 0;
        for (int i = 0; i < 300; i++)
        {
            sequences.Add(await outbox.EnqueueAsync(Batch(10 * 1024, i), OutboxLane.Metrics, Timeout()));
            peak = Math.Max(peak, outbox.GetStatistics().MemoryBytes);
        }

        // Sending with up to 4 batches in flight, as the uplink does with its window.
        IOutboxReader reader = outbox.OpenReader();
        var inFlight = new Queue<ulong>();
        var received = new List<ulong>();
        while (received.Count < sequences.Count)
        {
            OutboxEntry entry = await reader.ReadAsync(Timeout());
            received.Add(entry.Sequence);
            inFlight.Enqueue(entry.Sequence);
            peak = Math.Max(peak, outbox.GetStatistics().MemoryBytes);
            if (inFlight.Count == 4)
            {
                outbox.Acknowledge(inFlight.Dequeue());
            }
        }

        int recordBytes = Batch(10 * 1024).CalculateSize() + 100;
        Assert.Equal(sequences, received);
        Assert.True(peak <= options.MaxMemoryBytes + recordBytes, $"memory peaked at {peak} bytes, bound {options.MaxMemoryBytes} + one batch");
    }

    [Fact]
    public async Task ReadAsync_ReaderAlreadyWaiting_GetsTheEnqueuedObjectWithoutParsing()
    {
        DiskOutbox outbox = Open();
        IOutboxReader reader = outbox.OpenReader();
        ValueTask<OutboxEntry> waiting = reader.ReadAsync(Timeout());
        Assert.False(waiting.IsCompleted);
        TelemetryBatch sent = Batch(100, 7);

        await outbox.EnqueueAsync(sent, OutboxLane.Metrics, Timeout());
        OutboxEntry live = await waiting;

        // Nobody waiting: the next batch is read back from its record, an equal but different object.
        TelemetryBatch later = Batch(100, 8);
        await outbox.EnqueueAsync(later, OutboxLane.Metrics, Timeout());
        OutboxEntry parsed = await reader.ReadAsync(Timeout());

        Assert.Same(sent, live.Batch);
        Assert.NotSame(later, parsed.Batch);
        Assert.Equal(later, parsed.Batch);
    }

    [Fact]
    public async Task Flush_IntervalPolicy_OneFsyncRoundForManyBatches()
    {
        DiskOutbox outbox = Open(new OutboxOptions { Fsync = OutboxFsyncPolicy.Interval });
        for (int i = 0; i < 10; i++)
        {
            await outbox.EnqueueAsync(Batch(10), OutboxLane.Metrics, Timeout());
        }

        Assert.Equal(0, outbox.GetStatistics().Fsyncs);
        outbox.Flush();
        outbox.Flush();

        Assert.Equal(1, outbox.GetStatistics().Fsyncs);
    }

    [Fact]
    public async Task EnqueueAsync_AlwaysPolicy_FsyncsEveryBatch()
    {
        DiskOutbox outbox = Open(new OutboxOptions { Fsync = OutboxFsyncPolicy.Always });
        for (int i = 0; i < 5; i++)
        {
            await outbox.EnqueueAsync(Batch(10), OutboxLane.Metrics, Timeout());
        }

        Assert.Equal(5, outbox.GetStatistics().Fsyncs);
    }

    [Fact]
    public async Task Flush_NeverPolicy_NoFsync()
    {
        DiskOutbox outbox = Open(new OutboxOptions { Fsync = OutboxFsyncPolicy.Never });
        await outbox.EnqueueAsync(Batch(10), OutboxLane.Metrics, Timeout());

        outbox.Flush();

        Assert.Equal(0, outbox.GetStatistics().Fsyncs);
    }
}
