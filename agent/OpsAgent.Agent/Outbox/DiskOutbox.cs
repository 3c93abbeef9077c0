using Google.Protobuf;
using Microsoft.Win32.SafeHandles;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Outbox;

/// <summary>
/// The default outbox: every batch is appended, as a checksummed record, to a segment file of its lane in
/// <c>StateDirectory/outbox</c> before <see cref="EnqueueAsync"/> returns, keeps its sequence number until the collector
/// acknowledges it, and survives restarts and crashes. Bounded on disk (<see cref="OutboxOptions.MaxDiskBytes"/>) and in
/// memory (<see cref="OutboxOptions.MaxMemoryBytes"/>).
/// </summary>
/// <remarks>
/// <para>Each lane is a FIFO of segment files. The newest batches of a lane are also kept in memory (the lane's send
/// window) while memory allows; beyond that they are on disk only and are read back into the window as acknowledgements
/// free memory, so a long outage costs disk, not memory. A segment is deleted once every batch in it is acknowledged.</para>
/// <para>When a batch does not fit on disk, the oldest segment of the lowest-priority lane (never of a lane more important
/// than the new batch's) is deleted and its unacknowledged batches are counted as dropped; if only more important data is
/// held, the new batch is dropped and counted instead.</para>
/// <para>Acknowledgements are saved every <see cref="OutboxOptions.FsyncInterval"/> (<see cref="AckCheckpoint"/>), so a
/// restart resends at most what was acknowledged since; the collector drops those as duplicates.</para>
/// <para>Damaged files are never fatal: at start-up each segment is checked record by record; intact records are kept,
/// damaged ones counted and the damaged file moved to <c>outbox/quarantine</c> (<see cref="OutboxQuarantine"/>).</para>
/// </remarks>
internal sealed partial class DiskOutbox : IOutbox, IDisposable
{
    public const string DirectoryName = "outbox";
    public const string AckFileName = "acks";
    public const string QuarantineDirectoryName = "quarantine";

    /// <summary>Bounds how long one read-back holds the lock.</summary>
    private const int MaxRecordsPerLoad = 256;

    private static readonly OutboxLane[] LanesByPriority = Enum.GetValues<OutboxLane>();
    private static readonly TimeSpan WriteErrorLogInterval = TimeSpan.FromMinutes(1);

    private readonly string _directory;
    private readonly OutboxOptions _options;
    private readonly long _segmentBytes;
    private readonly SequenceAllocator _sequences;
    private readonly TimeProvider _time;
    private readonly ILogger<DiskOutbox> _logger;
    private readonly Lock _lock = new();
    private readonly LaneState[] _lanes;
    private readonly AckCheckpoint _acks;
    private readonly OutboxQuarantine _quarantine;
    private readonly long[] _dropped;
    private readonly List<SegmentFile> _unsynced = [];
    private TaskCompletionSource _changed = NewSignal();
    private long _diskBytes;
    private long _memoryBytes;
    private long _acknowledged;
    private long _damagedRecords;
    private long _quarantinedFiles;
    private long _writeFailures;
    private long _fsyncs;
    private int _waitingReaders;
    private bool _acksChanged;
    private bool _directoryChanged;
    private long _lastWriteErrorLog = long.MinValue;
    private bool _disposed;

    public DiskOutbox(string stateDirectory, OutboxOptions options, SequenceAllocator sequences, TimeProvider time, ILogger<DiskOutbox> logger)
    {
        _options = options;
        _sequences = sequences;
        _time = time;
        _logger = logger;
        _directory = Path.Combine(Path.GetFullPath(stateDirectory), DirectoryName);
        _segmentBytes = EffectiveSegmentBytes(options);
        _lanes = [.. LanesByPriority.Select(l => new LaneState(l))];
        _dropped = new long[_lanes.Length];
        _acks = new AckCheckpoint(Path.Combine(_directory, AckFileName));
        _quarantine = new OutboxQuarantine(Path.Combine(_directory, QuarantineDirectoryName), time);
        try
        {
            Directory.CreateDirectory(_directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException(
                $"Cannot create the outbox directory {_directory}: {ex.Message} Give the agent write access to Agent:StateDirectory ({stateDirectory}) or point it at a writable directory.",
                ex);
        }

        Recover();
    }

    public string DirectoryPath => _directory;

    /// <summary>Segment size in use: <see cref="OutboxOptions.SegmentBytes"/>, at most an eighth of the disk budget so that a drop frees a small part of it.</summary>
    public static long EffectiveSegmentBytes(OutboxOptions options) =>
        Math.Max(4096, Math.Min(options.SegmentBytes, options.MaxDiskBytes / 8));

    public ulong OldestUnacknowledgedSequence
    {
        get
        {
            lock (_lock)
            {
                ulong oldest = _sequences.Peek;
                foreach (LaneState lane in _lanes)
                {
                    if (lane.Front is { Acked: false } front)
                    {
                        oldest = Math.Min(oldest, front.Sequence);
                    }

                    if (lane.Segments.Find(s => s.Unacked > 0) is { } segment)
                    {
                        oldest = Math.Min(oldest, Math.Max(segment.FirstSequence, lane.Floor + 1));
                    }
                }

                return oldest;
            }
        }
    }

    public ValueTask<ulong> EnqueueAsync(TelemetryBatch batch, OutboxLane lane, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource? signal;
        ulong sequence;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            sequence = _sequences.Next();
            batch.Sequence = sequence;
            signal = Append(batch, _lanes[(int)lane], sequence);
        }

        signal?.TrySetResult();
        return ValueTask.FromResult(sequence);
    }

    public IOutboxReader OpenReader() => new Reader(this);

    public void Acknowledge(ulong sequence)
    {
        TaskCompletionSource? signal = null;
        lock (_lock)
        {
            foreach (LaneState lane in _lanes)
            {
                if (lane.Find(sequence) is not { Acked: false } entry)
                {
                    continue;
                }

                MarkAcked(lane, entry);
                _acknowledged++;
                signal = TakeSignal();
                break;
            }
        }

        signal?.TrySetResult();
    }

    public OutboxStatistics GetStatistics()
    {
        lock (_lock)
        {
            var dropped = new Dictionary<OutboxLane, long>();
            int batches = 0;
            foreach (LaneState lane in _lanes)
            {
                dropped[lane.Lane] = _dropped[(int)lane.Lane];
                batches += lane.MemoryOnlyUnacked;
                foreach (SegmentFile segment in lane.Segments)
                {
                    batches += segment.Unacked;
                }
            }

            return new OutboxStatistics(batches, _diskBytes, _options.MaxDiskBytes, dropped, _acknowledged)
            {
                MemoryBytes = _memoryBytes,
                MaxMemoryBytes = _options.MaxMemoryBytes,
                DamagedRecords = _damagedRecords,
                QuarantinedFiles = _quarantinedFiles,
                WriteFailures = _writeFailures,
                Fsyncs = _fsyncs,
            };
        }
    }

    /// <summary>
    /// The group commit: fsyncs what was written since the last call (unless the policy is <see cref="OutboxFsyncPolicy.Never"/>)
    /// and saves the acknowledgements if they changed. Called every <see cref="OutboxOptions.FsyncInterval"/> and at stop.
    /// </summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                FlushLocked();
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            FlushLocked();
            _disposed = true;
            foreach (LaneState lane in _lanes)
            {
                foreach (SegmentFile segment in lane.Segments)
                {
                    segment.CloseHandles();
                }
            }
        }
    }

    private TaskCompletionSource? Append(TelemetryBatch batch, LaneState lane, ulong sequence)
    {
        int payloadBytes = batch.CalculateSize();
        int recordBytes = SegmentFormat.RecordHeaderSize + payloadBytes;
        if (SegmentFormat.HeaderSize + recordBytes > _options.MaxDiskBytes || payloadBytes > SegmentFormat.MaxPayloadBytes)
        {
            _dropped[(int)lane.Lane]++;
            LogTooLarge(_logger, sequence, lane.Lane, recordBytes, _options.MaxDiskBytes);
            return null;
        }

        // Room for the record and, possibly, a new segment's header.
        if (!MakeRoom(recordBytes + SegmentFormat.HeaderSize, lane.Lane))
        {
            _dropped[(int)lane.Lane]++;
            LogDroppedNew(_logger, sequence, lane.Lane, recordBytes, _options.MaxDiskBytes);
            return null;
        }

        byte[] record = new byte[recordBytes];
        batch.WriteTo(record.AsSpan(SegmentFormat.RecordHeaderSize));
        SegmentFormat.WriteRecordHeader(record, sequence);

        (SegmentFile? segment, long offset) = WriteRecord(lane, record, sequence);
        bool windowOpen = lane.CursorSegment is null && (_memoryBytes + recordBytes <= _options.MaxMemoryBytes || lane.WindowCount == 0);
        if (segment is null)
        {
            if (!windowOpen)
            {
                _dropped[(int)lane.Lane]++;
                LogDroppedUnwritable(_logger, sequence, lane.Lane);
                return null;
            }

            lane.Append(new WindowEntry(sequence, record, null));
            lane.MemoryOnlyUnacked++;
            _memoryBytes += recordBytes;
        }
        else if (windowOpen)
        {
            // With a reader waiting (a connected uplink with room), this batch is sent next: hand it the object instead
            // of parsing the record back. Without one (an outage), only the bytes stay in memory.
            lane.Append(new WindowEntry(sequence, record, segment) { Live = _waitingReaders > 0 ? batch : null });
            segment.WindowUnacked++;
            _memoryBytes += recordBytes;
        }
        else if (lane.CursorSegment is null)
        {
            // From here on this lane's batches wait on disk and are read back when memory frees up.
            lane.CursorSegment = segment;
            lane.CursorOffset = offset;
        }

        return TakeSignal();
    }

    /// <summary>Appends the record to the lane's active segment (starting one when needed); null when the disk failed.</summary>
    private (SegmentFile? Segment, long Offset) WriteRecord(LaneState lane, byte[] record, ulong sequence)
    {
        SegmentFile? segment = null;
        bool created = false;
        try
        {
            segment = lane.Active;
            if (segment is null || (segment.Size + record.Length > _segmentBytes && segment.Records > 0))
            {
                segment = StartSegment(lane, sequence);
                created = true;
            }

            long offset = segment.Size;
            RandomAccess.Write(segment.Writer!, record, offset);
            segment.Size += record.Length;
            segment.AddRecord(sequence, acked: false);
            _diskBytes += record.Length;
            MarkWritten(segment, created);
            return (segment, offset);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _writeFailures++;
            long now = _time.GetTimestamp();
            if (_lastWriteErrorLog == long.MinValue || _time.GetElapsedTime(_lastWriteErrorLog, now) >= WriteErrorLogInterval)
            {
                _lastWriteErrorLog = now;
                LogWriteFailed(_logger, sequence, lane.Lane, _directory, ex.Message);
            }

            if (segment is not null && segment == lane.Active)
            {
                // Never append after a failed write: the file may end in part of this record.
                SealAfterFailure(lane, segment);
            }

            return (null, 0);
        }
    }

    private SegmentFile StartSegment(LaneState lane, ulong firstSequence)
    {
        if (lane.Active is { } previous)
        {
            lane.Active = null;
            previous.Sealed = true;
            ReleaseIfDone(lane, previous);
        }

        string path = Path.Combine(_directory, SegmentFormat.FileName(lane.Lane, firstSequence));
        SafeFileHandle handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        try
        {
            Span<byte> header = stackalloc byte[SegmentFormat.HeaderSize];
            SegmentFormat.WriteHeader(header, lane.Lane);
            RandomAccess.Write(handle, header, 0);
        }
        catch
        {
            handle.Dispose();
            TryDelete(path);
            throw;
        }

        var segment = new SegmentFile(lane.Lane, path, firstSequence) { Writer = handle, Size = SegmentFormat.HeaderSize };
        _diskBytes += SegmentFormat.HeaderSize;
        _directoryChanged = true;
        lane.Segments.Add(segment);
        lane.Active = segment;
        return segment;
    }

    private void MarkWritten(SegmentFile segment, bool created)
    {
        switch (_options.Fsync)
        {
            case OutboxFsyncPolicy.Always:
                try
                {
                    RandomAccess.FlushToDisk(segment.Writer!);
                    if (created)
                    {
                        DirectorySync.Sync(_directory);
                        _directoryChanged = false;
                    }

                    _fsyncs++;
                }
                catch (IOException ex)
                {
                    LogSyncFailed(_logger, segment.Name, ex.Message);
                }

                break;
            case OutboxFsyncPolicy.Interval when !segment.NeedsSync:
                segment.NeedsSync = true;
                _unsynced.Add(segment);
                break;
        }
    }

    private void SealAfterFailure(LaneState lane, SegmentFile segment)
    {
        lane.Active = null;
        segment.Sealed = true;
        try
        {
            RandomAccess.SetLength(segment.Writer!, segment.Size);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The start-up check treats whatever follows the last intact record as a torn write.
        }

        ReleaseIfDone(lane, segment);
    }

    /// <summary>Deletes segments of the lowest-priority lanes (down to <paramref name="newLane"/>) until <paramref name="bytes"/> fit.</summary>
    private bool MakeRoom(long bytes, OutboxLane newLane)
    {
        while (_diskBytes + bytes > _options.MaxDiskBytes)
        {
            LaneState? victim = null;
            for (int i = _lanes.Length - 1; i >= (int)newLane; i--)
            {
                if (_lanes[i].Segments.Count > 0)
                {
                    victim = _lanes[i];
                    break;
                }
            }

            if (victim is null)
            {
                return false;
            }

            DropSegment(victim, victim.Segments[0]);
        }

        return true;
    }

    private void DropSegment(LaneState lane, SegmentFile segment)
    {
        int lost = segment.Unacked;
        _dropped[(int)lane.Lane] += lost;
        if (lost > 0)
        {
            LogSegmentDropped(_logger, segment.Name, lane.Lane, lost, segment.FirstSequence, segment.LastSequence, _options.MaxDiskBytes);
        }

        foreach (WindowEntry entry in lane.RemoveEntriesOf(segment))
        {
            if (!entry.Acked)
            {
                _memoryBytes -= entry.Bytes;
            }
        }

        // The floor moves past the dropped batches, but never past an older batch still waiting (a memory-only one).
        ulong floor = segment.LastSequence;
        if (lane.Front is { } front && front.Sequence <= floor)
        {
            floor = front.Sequence - 1;
        }

        RaiseFloor(lane, floor);
        segment.Unacked = 0;
        segment.WindowUnacked = 0;
        if (lane.Active == segment)
        {
            lane.Active = null;
        }

        segment.Sealed = true;
        if (lane.CursorSegment == segment)
        {
            MoveCursorPast(lane, segment);
        }

        RemoveSegment(lane, segment);
        _acksChanged = true;
    }

    private void MarkAcked(LaneState lane, WindowEntry entry)
    {
        _memoryBytes -= entry.Bytes;
        entry.MarkAcked();
        if (entry.Segment is { } segment)
        {
            segment.Unacked--;
            segment.WindowUnacked--;
        }
        else
        {
            lane.MemoryOnlyUnacked--;
        }

        if (entry.Sequence > lane.Floor)
        {
            lane.AckedAbove.Add(entry.Sequence);
        }

        while (lane.Front is { Acked: true } front)
        {
            lane.PopFront();
            RaiseFloor(lane, front.Sequence);
        }

        if (entry.Segment is { } owner && lane.Segments.Contains(owner))
        {
            ReleaseIfDone(lane, owner);
        }

        _acksChanged = true;
    }

    private static void RaiseFloor(LaneState lane, ulong floor)
    {
        if (floor <= lane.Floor)
        {
            return;
        }

        lane.Floor = floor;
        if (lane.AckedAbove.Count > 0)
        {
            lane.AckedAbove.RemoveWhere(s => s <= floor);
        }
    }

    /// <summary>Closes what a sealed segment no longer needs and deletes it once nothing in it waits for an acknowledgement.</summary>
    private void ReleaseIfDone(LaneState lane, SegmentFile segment)
    {
        if (!segment.Sealed)
        {
            return;
        }

        if (segment.Unacked > 0)
        {
            if (!segment.NeedsSync)
            {
                segment.Writer?.Dispose();
                segment.Writer = null;
            }

            return;
        }

        if (lane.CursorSegment == segment)
        {
            MoveCursorPast(lane, segment);
        }

        RemoveSegment(lane, segment);
    }

    private void RemoveSegment(LaneState lane, SegmentFile segment)
    {
        lane.Segments.Remove(segment);
        if (segment.NeedsSync)
        {
            segment.NeedsSync = false;
            _unsynced.Remove(segment);
        }

        segment.CloseHandles();
        _diskBytes -= segment.Size;
        _directoryChanged = true;
        TryDelete(segment.Path);
    }

    /// <summary>Moves the read-back cursor to the start of the segment after <paramref name="segment"/>, or marks the lane caught up.</summary>
    private static void MoveCursorPast(LaneState lane, SegmentFile segment)
    {
        segment.Reader?.Dispose();
        segment.Reader = null;
        int index = lane.Segments.IndexOf(segment);
        SegmentFile? next = index >= 0 && index + 1 < lane.Segments.Count ? lane.Segments[index + 1] : null;
        lane.CursorSegment = next;
        lane.CursorOffset = SegmentFormat.HeaderSize;
    }

    private (WindowEntry Entry, byte[] Record, OutboxLane Lane, TelemetryBatch? Live)? Next(ulong[] cursors, out Task changed)
    {
        lock (_lock)
        {
            changed = _changed.Task;
            for (int i = 0; i < _lanes.Length; i++)
            {
                LaneState lane = _lanes[i];
                WindowEntry? entry = lane.NextAfter(cursors[i]);
                if (entry is null && lane.CursorSegment is not null)
                {
                    ReadBack(lane);
                    entry = lane.NextAfter(cursors[i]);
                }

                if (entry?.Record is { } record)
                {
                    cursors[i] = entry.Sequence;
                    TelemetryBatch? live = entry.Live;
                    entry.Live = null;
                    return (entry, record, lane.Lane, live);
                }
            }

            return null;
        }
    }

    /// <summary>Reads batches that wait on disk into the lane's window: at least one, more while memory allows.</summary>
    private void ReadBack(LaneState lane)
    {
        int loaded = 0;
        while (lane.CursorSegment is { } segment && loaded < MaxRecordsPerLoad)
        {
            if (_memoryBytes >= _options.MaxMemoryBytes && (loaded > 0 || lane.NextAfter(0) is not null))
            {
                // Memory is full and this lane has batches in flight: their acknowledgements free room (and wake the reader).
                return;
            }

            RecordStatus status;
            ulong sequence;
            SegmentScanner scanner;
            try
            {
                scanner = segment.Reader ??= SegmentScanner.Open(segment.Path);
                status = scanner.TryRead(lane.CursorOffset, segment.Size, out sequence);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogReadFailed(_logger, segment.Name, ex.Message);
                LeaveSegment(lane, segment);
                continue;
            }

            switch (status)
            {
                case RecordStatus.Intact:
                    lane.CursorOffset += scanner.Record.Length;
                    if (lane.IsAcked(sequence))
                    {
                        // Acknowledged before the last restart: not sent again.
                        continue;
                    }

                    byte[] record = scanner.Record.ToArray();
                    lane.Append(new WindowEntry(sequence, record, segment));
                    segment.WindowUnacked++;
                    _memoryBytes += record.Length;
                    loaded++;
                    break;
                case RecordStatus.End when segment == lane.Active:
                    // Caught up with the writer: new batches of this lane go straight into the window again.
                    segment.Reader?.Dispose();
                    segment.Reader = null;
                    lane.CursorSegment = null;
                    break;
                case RecordStatus.End:
                    LeaveSegment(lane, segment);
                    break;
                default:
                    _damagedRecords++;
                    LogDamagedWhileReading(_logger, segment.Name, lane.CursorOffset, scanner.Problem);
                    long next = scanner.Resync(lane.CursorOffset + 1, segment.Size);
                    lane.CursorOffset = next < 0 ? segment.Size : next;
                    break;
            }
        }
    }

    /// <summary>Done reading a sealed segment: whatever in it was not read (damaged) is given up, and the cursor moves on.</summary>
    private void LeaveSegment(LaneState lane, SegmentFile segment)
    {
        segment.Unacked = segment.WindowUnacked;
        if (lane.Active == segment)
        {
            lane.Active = null;
            segment.Sealed = true;
        }

        MoveCursorPast(lane, segment);
        ReleaseIfDone(lane, segment);
    }

    /// <summary>An intact record that is not a batch (written by a broken build?): given up and counted, never resent.</summary>
    private void DiscardUnparsable(OutboxLane laneId, ulong sequence, string problem)
    {
        lock (_lock)
        {
            LaneState lane = _lanes[(int)laneId];
            _damagedRecords++;
            LogUnparsable(_logger, sequence, laneId, problem);
            if (lane.Find(sequence) is { Acked: false } entry)
            {
                MarkAcked(lane, entry);
            }
        }
    }

    private void FlushLocked()
    {
        if (_options.Fsync != OutboxFsyncPolicy.Never && (_unsynced.Count > 0 || _directoryChanged))
        {
            foreach (SegmentFile segment in _unsynced)
            {
                try
                {
                    if (segment.Writer is { } writer)
                    {
                        RandomAccess.FlushToDisk(writer);
                    }
                }
                catch (IOException ex)
                {
                    LogSyncFailed(_logger, segment.Name, ex.Message);
                }

                segment.NeedsSync = false;
                if (segment.Sealed)
                {
                    segment.Writer?.Dispose();
                    segment.Writer = null;
                }
            }

            _unsynced.Clear();
            if (_directoryChanged)
            {
                try
                {
                    DirectorySync.Sync(_directory);
                }
                catch (IOException ex)
                {
                    LogSyncFailed(_logger, _directory, ex.Message);
                }

                _directoryChanged = false;
            }

            _fsyncs++;
        }

        if (_acksChanged)
        {
            try
            {
                _acks.Write(_lanes);
                _acksChanged = false;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogAcksNotSaved(_logger, _acks.Path, ex.Message);
            }
        }
    }

    private void WaitingReaders(int change)
    {
        lock (_lock)
        {
            _waitingReaders += change;
        }
    }

    private TaskCompletionSource TakeSignal()
    {
        TaskCompletionSource signal = _changed;
        _changed = NewSignal();
        return signal;
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogDeleteFailed(_logger, path, ex.Message);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Reader(DiskOutbox outbox) : IOutboxReader
    {
        // Per lane, the highest sequence this reader has yielded; sequences ascend within a lane.
        private readonly ulong[] _cursors = new ulong[LanesByPriority.Length];

        public async ValueTask<OutboxEntry> ReadAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (outbox.Next(_cursors, out Task changed) is { } next)
                {
                    (WindowEntry entry, byte[] record, OutboxLane lane, TelemetryBatch? live) = next;
                    TelemetryBatch batch;
                    try
                    {
                        batch = live ?? TelemetryBatch.Parser.ParseFrom(record.AsSpan(SegmentFormat.RecordHeaderSize));
                    }
                    catch (InvalidProtocolBufferException ex)
                    {
                        outbox.DiscardUnparsable(lane, entry.Sequence, ex.Message);
                        continue;
                    }

                    return new OutboxEntry(entry.Sequence, lane, batch, record.Length - SegmentFormat.RecordHeaderSize);
                }

                outbox.WaitingReaders(+1);
                try
                {
                    await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    outbox.WaitingReaders(-1);
                }
            }
        }
    }
}
