using Microsoft.Extensions.Logging;
using System.Buffers.Binary;
using OpsAgent.Agent.Outbox;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Outbox;

/// <summary>
/// Damaged outbox files, as a failing disk, a power cut or a stray program leaves them: the damaged part is moved to
/// quarantine, reported and counted, everything else is still delivered, and the agent starts every time.
/// </summary>
public sealed class DiskOutboxRecoveryTests : IDisposable
{
    private const int BatchesPerSegment = 6;
    private const int Segments = 3;

    private static readonly OutboxOptions SmallSegments = new() { MaxDiskBytes = 4 * 1024 * 1024, SegmentBytes = 64 * 1024 };

    private readonly TempDirectory _dir = new();
    private readonly List<DiskOutbox> _opened = [];
    private readonly RecordingLogger<DiskOutbox> _logger = new();

    public void Dispose()
    {
        foreach (DiskOutbox outbox in _opened)
        {
            outbox.Dispose();
        }

        _dir.Dispose();
    }

    private string OutboxDirectory => Path.Combine(_dir.Path, DiskOutbox.DirectoryName);

    private string QuarantineDirectory => Path.Combine(OutboxDirectory, DiskOutbox.QuarantineDirectoryName);

    private DiskOutbox Open()
    {
        var outbox = new DiskOutbox(_dir.Path, SmallSegments, new SequenceAllocator(_dir.Path), TimeProvider.System, _logger);
        _opened.Add(outbox);
        return outbox;
    }

    private static TelemetryBatch Batch(int marker)
    {
        var series = new MetricSeries { Name = "test.metric", Unit = new string('x', 10_000) };
        series.TimestampsUnixMs.Add(marker);
        series.Values.Add(marker);
        return new TelemetryBatch { Metrics = { series } };
    }

    /// <summary>Three segments of six batches each, written and closed; returns the sequence numbers per segment file.</summary>
    private async Task<List<(string File, List<ulong> Sequences)>> WriteSegmentsAsync()
    {
        DiskOutbox outbox = Open();
        var all = new List<ulong>();
        for (int i = 0; i < BatchesPerSegment * Segments; i++)
        {
            all.Add(await outbox.EnqueueAsync(Batch(i), OutboxLane.Metrics, TestContext.Current.CancellationToken));
        }

        outbox.Dispose();
        string[] files = [.. Directory.GetFiles(OutboxDirectory, "*" + SegmentFormat.Extension).Order(StringComparer.Ordinal)];
        Assert.Equal(Segments, files.Length);
        return [.. files.Select((f, i) => (f, all.Skip(i * BatchesPerSegment).Take(BatchesPerSegment).ToList()))];
    }

    private static async Task<List<ulong>> DeliveredAsync(DiskOutbox outbox)
    {
        IOutboxReader reader = outbox.OpenReader();
        var delivered = new List<ulong>();
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            quiet.CancelAfter(TimeSpan.FromMilliseconds(300));
            try
            {
                OutboxEntry entry = await reader.ReadAsync(quiet.Token);
                Assert.Equal(entry.Sequence, entry.Batch.Sequence);
                delivered.Add(entry.Sequence);
                outbox.Acknowledge(entry.Sequence);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                return delivered;
            }
        }
    }

    /// <summary>Offsets of the records in a segment file, read from their length fields.</summary>
    private static List<long> RecordOffsets(string file)
    {
        byte[] data = File.ReadAllBytes(file);
        var offsets = new List<long>();
        for (long offset = SegmentFormat.HeaderSize; offset < data.Length;)
        {
            offsets.Add(offset);
            offset += SegmentFormat.RecordHeaderSize + BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)offset + 4));
        }

        return offsets;
    }

    private static void FlipByte(string file, long offset)
    {
        using FileStream stream = File.Open(file, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        int value = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(value ^ 0x5A));
    }

    private void AssertQuarantined(int files, long damagedRecords, int eventId, OutboxStatistics stats)
    {
        Assert.Equal(files, Directory.GetFileSystemEntries(QuarantineDirectory).Length);
        Assert.Equal(files, stats.QuarantinedFiles);
        Assert.Equal(damagedRecords, stats.DamagedRecords);
        Assert.Contains(_logger.Entries, e => e.EventId == eventId && e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task Open_TruncatedTail_KeepsEveryIntactBatchAndQuarantinesTheFile()
    {
        var segments = await WriteSegmentsAsync();
        (string last, List<ulong> lastSequences) = segments[^1];
        using (FileStream stream = File.Open(last, FileMode.Open))
        {
            stream.SetLength(stream.Length - 100);
        }

        DiskOutbox outbox = Open();
        List<ulong> delivered = await DeliveredAsync(outbox);

        Assert.Equal(segments.SelectMany(s => s.Sequences).Where(s => s != lastSequences[^1]), delivered);
        AssertQuarantined(files: 1, damagedRecords: 1, eventId: 1211, outbox.GetStatistics());
    }

    [Fact]
    public async Task Open_FlippedByteInAPayload_LosesOnlyThatBatch()
    {
        var segments = await WriteSegmentsAsync();
        (string first, List<ulong> sequences) = segments[0];
        long third = RecordOffsets(first)[2];
        FlipByte(first, third + SegmentFormat.RecordHeaderSize + 500);

        DiskOutbox outbox = Open();
        List<ulong> delivered = await DeliveredAsync(outbox);

        Assert.Equal(segments.SelectMany(s => s.Sequences).Where(s => s != sequences[2]), delivered);
        AssertQuarantined(files: 1, damagedRecords: 1, eventId: 1211, outbox.GetStatistics());
    }

    [Fact]
    public async Task Open_FlippedByteInALengthField_FindsTheNextIntactBatch()
    {
        var segments = await WriteSegmentsAsync();
        (string middle, List<ulong> sequences) = segments[1];
        long second = RecordOffsets(middle)[1];
        FlipByte(middle, second + 6);

        DiskOutbox outbox = Open();
        List<ulong> delivered = await DeliveredAsync(outbox);

        Assert.Equal(segments.SelectMany(s => s.Sequences).Where(s => s != sequences[1]), delivered);
        AssertQuarantined(files: 1, damagedRecords: 1, eventId: 1211, outbox.GetStatistics());
    }

    [Fact]
    public async Task Open_WrongMagic_QuarantinesThatSegmentAndDeliversTheOthers()
    {
        var segments = await WriteSegmentsAsync();
        using (FileStream stream = File.Open(segments[1].File, FileMode.Open))
        {
            stream.Write("NOTOURS!"u8);
        }

        DiskOutbox outbox = Open();
        List<ulong> delivered = await DeliveredAsync(outbox);

        Assert.Equal(segments[0].Sequences.Concat(segments[2].Sequences), delivered);
        AssertQuarantined(files: 1, damagedRecords: 0, eventId: 1209, outbox.GetStatistics());
        Assert.Contains(_logger.Entries, e => e.EventId == 1209 && e.Message.Contains("magic", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_GarbageFileUnderASegmentName_QuarantinedOthersDelivered()
    {
        var segments = await WriteSegmentsAsync();
        byte[] garbage = new byte[50_000];
        new Random(7).NextBytes(garbage);
        await File.WriteAllBytesAsync(Path.Combine(OutboxDirectory, SegmentFormat.FileName(OutboxLane.Logs, 5)), garbage, TestContext.Current.CancellationToken);

        DiskOutbox outbox = Open();
        List<ulong> delivered = await DeliveredAsync(outbox);

        Assert.Equal(segments.SelectMany(s => s.Sequences), delivered);
        AssertQuarantined(files: 1, damagedRecords: 0, eventId: 1209, outbox.GetStatistics());
    }

    [Fact]
    public async Task Open_ZeroLengthSegment_QuarantinedOthersDelivered()
    {
        var segments = await WriteSegmentsAsync();
        await File.WriteAllBytesAsync(Path.Combine(OutboxDirectory, SegmentFormat.FileName(OutboxLane.Control, 1)), [], TestContext.Current.CancellationToken);

        DiskOutbox outbox = Open();
        List<ulong> delivered = await DeliveredAsync(outbox);

        Assert.Equal(segments.SelectMany(s => s.Sequences), delivered);
        AssertQuarantined(files: 1, damagedRecords: 0, eventId: 1209, outbox.GetStatistics());
        Assert.Contains(_logger.Entries, e => e.EventId == 1209 && e.Message.Contains("zero length", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_SegmentThatCannotBeOpened_QuarantinedOthersDelivered()
    {
        // The agent runs as root, which reads files whatever their mode; a directory under a segment's name cannot be
        // opened as a file by anyone, so it takes the same path as an unreadable file.
        var segments = await WriteSegmentsAsync();
        string unreadable = Path.Combine(OutboxDirectory, SegmentFormat.FileName(OutboxLane.Metrics, 2));
        Directory.CreateDirectory(unreadable);

        DiskOutbox outbox = Open();
        List<ulong> delivered = await DeliveredAsync(outbox);

        Assert.Equal(segments.SelectMany(s => s.Sequences), delivered);
        AssertQuarantined(files: 1, damagedRecords: 0, eventId: 1209, outbox.GetStatistics());
        Assert.False(Directory.Exists(unreadable));
    }

    [Fact]
    public async Task Open_AfterQuarantine_NextStartIsClean()
    {
        var segments = await WriteSegmentsAsync();
        FlipByte(segments[0].File, RecordOffsets(segments[0].File)[0] + SegmentFormat.RecordHeaderSize + 10);
        DiskOutbox first = Open();
        first.Dispose();

        DiskOutbox second = Open();
        List<ulong> delivered = await DeliveredAsync(second);

        OutboxStatistics stats = second.GetStatistics();
        Assert.Equal(0, stats.QuarantinedFiles);
        Assert.Equal(0, stats.DamagedRecords);
        Assert.Equal(segments.SelectMany(s => s.Sequences).Skip(1), delivered);
        Assert.Single(Directory.GetFileSystemEntries(QuarantineDirectory));
    }

    [Fact]
    public async Task Open_SalvageInterruptedAfterTheOriginalMoved_UsesTheCompleteCopy()
    {
        var segments = await WriteSegmentsAsync();
        string original = segments[0].File;
        File.Move(original, original + ".salvage");

        DiskOutbox outbox = Open();
        List<ulong> delivered = await DeliveredAsync(outbox);

        Assert.Equal(segments.SelectMany(s => s.Sequences), delivered);
        Assert.False(File.Exists(original + ".salvage"));
    }

    [Fact]
    public async Task Open_SalvageInterruptedBeforeTheOriginalMoved_DiscardsThePartialCopy()
    {
        var segments = await WriteSegmentsAsync();
        string original = segments[0].File;
        await File.WriteAllBytesAsync(original + ".salvage", [1, 2, 3], TestContext.Current.CancellationToken);

        DiskOutbox outbox = Open();
        List<ulong> delivered = await DeliveredAsync(outbox);

        Assert.Equal(segments.SelectMany(s => s.Sequences), delivered);
        Assert.False(File.Exists(original + ".salvage"));
        Assert.Equal(0, outbox.GetStatistics().QuarantinedFiles);
    }

    [Fact]
    public async Task Open_DamagedAcknowledgementFile_IgnoredWithWarningAndEverythingResent()
    {
        DiskOutbox outbox = Open();
        ulong a = await outbox.EnqueueAsync(Batch(1), OutboxLane.Metrics, TestContext.Current.CancellationToken);
        ulong b = await outbox.EnqueueAsync(Batch(2), OutboxLane.Metrics, TestContext.Current.CancellationToken);
        outbox.Acknowledge(a);
        outbox.Dispose();
        string acks = Path.Combine(OutboxDirectory, DiskOutbox.AckFileName);
        FlipByte(acks, 10);

        DiskOutbox reopened = Open();
        List<ulong> delivered = await DeliveredAsync(reopened);

        Assert.Equal([a, b], delivered);
        Assert.Contains(_logger.Entries, e => e.EventId == 1216 && e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Open_ManyDamagedFiles_QuarantineKeepsOnlyTheNewest()
    {
        await WriteSegmentsAsync();
        for (int i = 0; i < OutboxQuarantine.MaxEntries + 5; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(OutboxDirectory, SegmentFormat.FileName(OutboxLane.Logs, (ulong)(100 + i))), [9, 9, 9], TestContext.Current.CancellationToken);
        }

        DiskOutbox outbox = Open();

        Assert.Equal(OutboxQuarantine.MaxEntries + 5, outbox.GetStatistics().QuarantinedFiles);
        Assert.Equal(OutboxQuarantine.MaxEntries, Directory.GetFileSystemEntries(QuarantineDirectory).Length);
    }
}
