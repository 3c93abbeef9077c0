namespace OpsAgent.Agent.Uplink;

/// <summary>Counters of the uplink, reported as the agent's own metrics.</summary>
internal sealed class UplinkStatistics
{
    private long _connects;
    private long _failures;
    private long _batchesSent;
    private long _batchesRejected;
    private long _itemsRejected;
    private long _oversizedDropped;
    private int _connected;

    public bool Connected => Volatile.Read(ref _connected) == 1;

    public long Connects => Interlocked.Read(ref _connects);

    public long Failures => Interlocked.Read(ref _failures);

    public long BatchesSent => Interlocked.Read(ref _batchesSent);

    public long BatchesRejected => Interlocked.Read(ref _batchesRejected);

    public long ItemsRejected => Interlocked.Read(ref _itemsRejected);

    public long OversizedDropped => Interlocked.Read(ref _oversizedDropped);

    public void OnConnected()
    {
        Interlocked.Increment(ref _connects);
        Volatile.Write(ref _connected, 1);
    }

    public void OnDisconnected(bool failed)
    {
        Volatile.Write(ref _connected, 0);
        if (failed)
        {
            Interlocked.Increment(ref _failures);
        }
    }

    public void OnBatchSent() => Interlocked.Increment(ref _batchesSent);

    public void OnRejected(bool wholeBatch, long items)
    {
        if (wholeBatch)
        {
            Interlocked.Increment(ref _batchesRejected);
        }

        Interlocked.Add(ref _itemsRejected, items);
    }

    public void OnOversizedDropped() => Interlocked.Increment(ref _oversizedDropped);
}
