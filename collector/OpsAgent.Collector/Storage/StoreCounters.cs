namespace OpsAgent.Collector.Storage;

/// <summary>
/// Monotonic counters and gauges of the store for the collector's <c>/metrics</c> endpoint. Written by the store with
/// <see cref="Interlocked"/>; read at any time.
/// </summary>
internal sealed class StoreCounters
{
    /// <summary>Upper bounds, in seconds, of the commit latency histogram buckets (a last, implicit bucket is +Inf).</summary>
    public static readonly double[] CommitLatencyBucketBounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private readonly long[] _commitLatencyBuckets = new long[CommitLatencyBucketBounds.Length + 1];
    private long _batchesCommitted;
    private long _duplicates;
    private long _samplesStored;
    private long _commits;
    private long _commitFailures;
    private long _commitMicrosTotal;
    private long _queueDepth;
    private long _backpressureWaits;
    private long _writeAheadBytes;
    private long _chunkBytesWritten;
    private long _chunksWritten;
    private long _headSnapshots;
    private long _corruptRecords;
    private long _observerDrops;
    private long _outOfOrderSamples;
    private long _checkpointRounds;
    private long _chunksDeleted;

    public long BatchesCommitted => Volatile.Read(ref _batchesCommitted);

    public long Duplicates => Volatile.Read(ref _duplicates);

    public long SamplesStored => Volatile.Read(ref _samplesStored);

    /// <summary>Group commits (transactions) that succeeded.</summary>
    public long Commits => Volatile.Read(ref _commits);

    public long CommitFailures => Volatile.Read(ref _commitFailures);

    public double CommitSecondsTotal => Volatile.Read(ref _commitMicrosTotal) / 1e6;

    /// <summary>Batches waiting for the writer right now.</summary>
    public long QueueDepth => Volatile.Read(ref _queueDepth);

    /// <summary>Appends that found the queue full and waited (backpressure applied).</summary>
    public long BackpressureWaits => Volatile.Read(ref _backpressureWaits);

    public long WriteAheadBytesWritten => Volatile.Read(ref _writeAheadBytes);

    public long ChunkBytesWritten => Volatile.Read(ref _chunkBytesWritten);

    public long ChunksWritten => Volatile.Read(ref _chunksWritten);

    public long HeadSnapshots => Volatile.Read(ref _headSnapshots);

    /// <summary>Chunks, heads or write-ahead records that failed to decode and were quarantined.</summary>
    public long CorruptRecords => Volatile.Read(ref _corruptRecords);

    public long ObserverDrops => Volatile.Read(ref _observerDrops);

    /// <summary>Samples not newer than their series' previous sample (stored, in a new chunk).</summary>
    public long OutOfOrderSamples => Volatile.Read(ref _outOfOrderSamples);

    public long CheckpointRounds => Volatile.Read(ref _checkpointRounds);

    public long ChunksDeletedByRetention => Volatile.Read(ref _chunksDeleted);

    /// <summary>Cumulative counts per bucket of <see cref="CommitLatencyBucketBounds"/> (Prometheus "le" semantics).</summary>
    public long[] CommitLatencyCumulative()
    {
        long[] result = new long[_commitLatencyBuckets.Length];
        long running = 0;
        for (int i = 0; i < result.Length; i++)
        {
            running += Volatile.Read(ref _commitLatencyBuckets[i]);
            result[i] = running;
        }

        return result;
    }

    internal void Committed(int batches, int duplicates, long samples, double seconds)
    {
        Interlocked.Add(ref _batchesCommitted, batches);
        Interlocked.Add(ref _duplicates, duplicates);
        Interlocked.Add(ref _samplesStored, samples);
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _commitMicrosTotal, (long)(seconds * 1e6));
        int bucket = 0;
        while (bucket < CommitLatencyBucketBounds.Length && seconds > CommitLatencyBucketBounds[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _commitLatencyBuckets[bucket]);
    }

    internal void CommitFailed() => Interlocked.Increment(ref _commitFailures);

    internal void QueueDepthChanged(long delta) => Interlocked.Add(ref _queueDepth, delta);

    internal void BackpressureWait() => Interlocked.Increment(ref _backpressureWaits);

    internal void WriteAheadWritten(long bytes) => Interlocked.Add(ref _writeAheadBytes, bytes);

    internal void ChunkWritten(long bytes)
    {
        Interlocked.Add(ref _chunkBytesWritten, bytes);
        Interlocked.Increment(ref _chunksWritten);
    }

    internal void HeadSnapshotWritten(long bytes)
    {
        Interlocked.Add(ref _chunkBytesWritten, bytes);
        Interlocked.Increment(ref _headSnapshots);
    }

    internal void Corrupt() => Interlocked.Increment(ref _corruptRecords);

    internal void ObserverDropped() => Interlocked.Increment(ref _observerDrops);

    internal void OutOfOrder(long samples) => Interlocked.Add(ref _outOfOrderSamples, samples);

    internal void CheckpointRoundCompleted() => Interlocked.Increment(ref _checkpointRounds);

    internal void ChunksDeleted(long count) => Interlocked.Add(ref _chunksDeleted, count);
}
