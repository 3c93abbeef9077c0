using OpsAgent.Protocol;

namespace OpsAgent.Agent.Outbox;

/// <summary>
/// An outbox held in memory only, bounded in bytes. Sequence numbers still come from a durable allocator so that a
/// restart never reuses one. What it holds is lost when the process dies; the disk outbox does not have that limit.
/// </summary>
internal sealed partial class MemoryOutbox : IOutbox
{
    private static readonly OutboxLane[] LanesByPriority = Enum.GetValues<OutboxLane>();

    private readonly SequenceAllocator _sequences;
    private readonly long _maxBytes;
    private readonly ILogger<MemoryOutbox> _logger;
    private readonly Lock _lock = new();
    private readonly SortedDictionary<ulong, OutboxEntry>[] _lanes;
    private readonly long[] _dropped;
    private TaskCompletionSource _changed = NewSignal();
    private long _bytes;
    private long _acknowledged;

    public MemoryOutbox(SequenceAllocator sequences, long maxBytes, ILogger<MemoryOutbox> logger)
    {
        _sequences = sequences;
        _maxBytes = maxBytes;
        _logger = logger;
        _lanes = new SortedDictionary<ulong, OutboxEntry>[LanesByPriority.Length];
        for (int i = 0; i < _lanes.Length; i++)
        {
            _lanes[i] = [];
        }

        _dropped = new long[LanesByPriority.Length];
    }

    public ulong OldestUnacknowledgedSequence
    {
        get
        {
            lock (_lock)
            {
                ulong oldest = _sequences.Peek;
                foreach (SortedDictionary<ulong, OutboxEntry> lane in _lanes)
                {
                    if (lane.Count > 0)
                    {
                        oldest = Math.Min(oldest, lane.Keys.First());
                    }
                }

                return oldest;
            }
        }
    }

    public ValueTask<ulong> EnqueueAsync(TelemetryBatch batch, OutboxLane lane, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource signal;
        ulong sequence;
        lock (_lock)
        {
            sequence = _sequences.Next();
            batch.Sequence = sequence;
            int size = batch.CalculateSize();
            if (!MakeRoom(size, lane))
            {
                _dropped[(int)lane]++;
                LogDroppedNew(_logger, sequence, lane, size, _maxBytes);
                return ValueTask.FromResult(sequence);
            }

            _lanes[(int)lane].Add(sequence, new OutboxEntry(sequence, lane, batch, size));
            _bytes += size;
            signal = _changed;
            _changed = NewSignal();
        }

        signal.TrySetResult();
        return ValueTask.FromResult(sequence);
    }

    public IOutboxReader OpenReader() => new Reader(this);

    public void Acknowledge(ulong sequence)
    {
        lock (_lock)
        {
            foreach (SortedDictionary<ulong, OutboxEntry> lane in _lanes)
            {
                if (lane.Remove(sequence, out OutboxEntry? entry))
                {
                    _bytes -= entry.SizeBytes;
                    _acknowledged++;
                    return;
                }
            }
        }
    }

    public OutboxStatistics GetStatistics()
    {
        lock (_lock)
        {
            var dropped = new Dictionary<OutboxLane, long>();
            foreach (OutboxLane lane in LanesByPriority)
            {
                dropped[lane] = _dropped[(int)lane];
            }

            return new OutboxStatistics(_lanes.Sum(l => l.Count), _bytes, _maxBytes, dropped, _acknowledged)
            {
                MemoryBytes = _bytes,
                MaxMemoryBytes = _maxBytes,
            };
        }
    }

    // Evicts the oldest batches of the lowest-priority lanes, never of a lane more important than the newcomer.
    private bool MakeRoom(int size, OutboxLane newLane)
    {
        if (size > _maxBytes)
        {
            return false;
        }

        for (int laneIndex = _lanes.Length - 1; laneIndex >= (int)newLane && _bytes + size > _maxBytes; laneIndex--)
        {
            SortedDictionary<ulong, OutboxEntry> lane = _lanes[laneIndex];
            while (lane.Count > 0 && _bytes + size > _maxBytes)
            {
                OutboxEntry oldest = lane.Values.First();
                lane.Remove(oldest.Sequence);
                _bytes -= oldest.SizeBytes;
                _dropped[laneIndex]++;
                LogEvicted(_logger, oldest.Sequence, oldest.Lane, _maxBytes);
            }
        }

        return _bytes + size <= _maxBytes;
    }

    private OutboxEntry? NextAfter(ulong[] cursors, out Task changed)
    {
        lock (_lock)
        {
            changed = _changed.Task;
            for (int i = 0; i < _lanes.Length; i++)
            {
                foreach ((ulong sequence, OutboxEntry entry) in _lanes[i])
                {
                    if (sequence > cursors[i])
                    {
                        cursors[i] = sequence;
                        return entry;
                    }
                }
            }

            return null;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning,
        Message = "Outbox full ({MaxBytes} bytes): dropped unsent batch {Sequence} of lane {Lane} to make room. The collector has been unreachable or slow for a while; see the uplink log.")]
    private static partial void LogEvicted(ILogger logger, ulong sequence, OutboxLane lane, long maxBytes);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning,
        Message = "Outbox full ({MaxBytes} bytes): dropped new batch {Sequence} of lane {Lane} ({Size} bytes) because only more important data is queued.")]
    private static partial void LogDroppedNew(ILogger logger, ulong sequence, OutboxLane lane, int size, long maxBytes);

    private sealed class Reader(MemoryOutbox outbox) : IOutboxReader
    {
        // Per lane, the highest sequence this reader has yielded; lanes are FIFO by sequence.
        private readonly ulong[] _cursors = new ulong[LanesByPriority.Length];

        public async ValueTask<OutboxEntry> ReadAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                OutboxEntry? next = outbox.NextAfter(_cursors, out Task changed);
                if (next is not null)
                {
                    return next;
                }

                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
