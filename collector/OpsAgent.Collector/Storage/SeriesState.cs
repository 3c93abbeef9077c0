using OpsAgent.Protocol;

namespace OpsAgent.Collector.Storage;

/// <summary>
/// One series in memory: identity, the open head chunk, chunks closed but not yet committed, and how far its samples
/// are persisted. The writer thread mutates it under <see cref="Sync"/>; queries copy from it under the same lock.
/// </summary>
/// <remarks>
/// Heads keep raw samples (16 bytes each) for at most <see cref="StorageOptions.MaxSamplesPerChunk"/> samples:
/// appending is a store into two arrays, and the chunk codec picks its encoding once per chunk with all values in
/// view, which an incremental bit stream could not do. Memory is bounded by series × chunk size.
/// </remarks>
internal sealed class SeriesState
{
    /// <summary>Chunks never span one of these windows: it bounds time-range index scans and whole-chunk retention.</summary>
    public const long WindowMs = 2 * 60 * 60 * 1000;

    private long[] _timestamps = [];
    private double[] _values = [];
    private int _count;
    private long _windowStart;

    public SeriesState(ulong id, AgentSequenceState agent, string name, string[] labels, MetricKind kind, string unit)
    {
        Id = id;
        Agent = agent;
        Name = name;
        Labels = labels;
        Kind = kind;
        Unit = unit;
    }

    public ulong Id { get; }

    public AgentSequenceState Agent { get; }

    public string Name { get; }

    /// <summary>The series' own labels, flat: key, value, key, value; sorted by key.</summary>
    public string[] Labels { get; }

    public MetricKind Kind { get; }

    public string Unit { get; }

    public Lock Sync { get; } = new();

    /// <summary>Position in the writer's series list; the checkpoint cursor walks that list.</summary>
    public int Index { get; set; }

    public int HeadCount => _count;

    /// <summary>Incremented whenever the head is closed; lets a query detect that it raced with a close.</summary>
    public int CloseVersion { get; private set; }

    /// <summary>Closed chunks waiting for the next commit; null when there are none.</summary>
    public List<PendingChunk>? Pending { get; set; }

    /// <summary>Time of the first and last sample the store holds for this series (for listings and statistics).</summary>
    public long FirstMs { get; set; } = long.MaxValue;

    public long LastMs { get; set; } = long.MinValue;

    /// <summary>
    /// The write-ahead record of the last appended sample and how many samples of this series from that record have
    /// been appended. Persisted with every chunk and head snapshot; on recovery, replay skips what they cover.
    /// </summary>
    public long AppendedWal { get; set; }

    public int AppendedInWal { get; set; }

    /// <summary>The head changed since it was last persisted.</summary>
    public bool Dirty { get; set; }

    /// <summary>Persisted frontier loaded at start-up; replay appends only samples past it.</summary>
    public long FrontierWal { get; set; }

    public int FrontierSkip { get; set; }

    /// <summary>Replay bookkeeping: the record being replayed and how many of its samples of this series were seen.</summary>
    public long ReplayWal { get; set; } = -1;

    public int ReplayIndex { get; set; }

    /// <summary>Decimal exponent of the last value written to the write-ahead log; where the next search starts.</summary>
    public int ExponentHint { get; set; }

    public long HeadWindowStart => _windowStart;

    public ReadOnlySpan<long> HeadTimestamps => _timestamps.AsSpan(0, _count);

    public ReadOnlySpan<double> HeadValues => _values.AsSpan(0, _count);

    public static long WindowOf(long timestampMs) => timestampMs - (((timestampMs % WindowMs) + WindowMs) % WindowMs);

    /// <summary>
    /// Appends one committed sample. Closes the head first when the sample is not newer than the head's last one
    /// (out of order: a batch resent after a reconnect, a clock stepping back), falls in a later window, or the head
    /// is full. Returns the closed chunk, if any. Caller holds <see cref="Sync"/>.
    /// </summary>
    public PendingChunk? Append(long timestamp, double value, long walId, int maxSamples, out bool outOfOrder)
    {
        if (walId != AppendedWal)
        {
            AppendedWal = walId;
            AppendedInWal = 0;
        }

        PendingChunk? closed = null;
        outOfOrder = false;
        if (_count > 0)
        {
            outOfOrder = timestamp <= _timestamps[_count - 1];
            if (outOfOrder || timestamp >= _windowStart + WindowMs || timestamp < _windowStart || _count >= maxSamples)
            {
                closed = CloseHead();
            }
        }

        if (_count == 0)
        {
            _windowStart = WindowOf(timestamp);
        }

        if (_count == _timestamps.Length)
        {
            int capacity = Math.Min(Math.Max(8, _count * 2), Math.Max(maxSamples, _count + 1));
            Array.Resize(ref _timestamps, capacity);
            Array.Resize(ref _values, capacity);
        }

        _timestamps[_count] = timestamp;
        _values[_count] = value;
        _count++;
        AppendedInWal++;
        Dirty = true;
        if (timestamp < FirstMs)
        {
            FirstMs = timestamp;
        }

        if (timestamp > LastMs)
        {
            LastMs = timestamp;
        }

        return closed;
    }

    /// <summary>Moves the head into a pending chunk (recorded in <see cref="Pending"/>) and starts an empty head.</summary>
    public PendingChunk? CloseHead()
    {
        if (_count == 0)
        {
            return null;
        }

        var chunk = new PendingChunk(this, _timestamps, _values, _count, AppendedWal, AppendedInWal);
        CloseVersion++;
        (Pending ??= []).Add(chunk);
        _timestamps = [];
        _values = [];
        _count = 0;
        Dirty = true;
        return chunk;
    }

    /// <summary>Replaces the head with samples loaded from its snapshot at start-up.</summary>
    public void LoadHead(long[] timestamps, double[] values)
    {
        _timestamps = timestamps;
        _values = values;
        _count = timestamps.Length;
        _windowStart = _count > 0 ? WindowOf(timestamps[0]) : 0;
    }

    /// <summary>Appends the head's samples within [start, end] to the lists.</summary>
    public void CopyHead(long start, long end, List<long> timestamps, List<double> values)
    {
        for (int i = 0; i < _count; i++)
        {
            long t = _timestamps[i];
            if (t >= start && t <= end)
            {
                timestamps.Add(t);
                values.Add(_values[i]);
            }
        }
    }
}
