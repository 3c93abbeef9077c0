namespace OpsAgent.Agent.Uplink;

/// <summary>
/// Limits how many batches are sent and not yet acknowledged on one stream, so a slow collector slows the agent
/// down instead of filling the network buffers, and so a reconnect resends at most this many.
/// </summary>
internal sealed class InFlightWindow(int capacity) : IDisposable
{
    private readonly SemaphoreSlim _room = new(capacity, capacity);
    private readonly HashSet<ulong> _sent = [];
    private readonly Lock _lock = new();

    public Task WaitForRoomAsync(CancellationToken cancellationToken) => _room.WaitAsync(cancellationToken);

    public void Track(ulong sequence)
    {
        lock (_lock)
        {
            _sent.Add(sequence);
        }
    }

    /// <summary>Frees the slot of a batch; an ack for a batch not sent on this stream frees nothing.</summary>
    public void Release(ulong sequence, bool wasTracked)
    {
        lock (_lock)
        {
            if (wasTracked && !_sent.Remove(sequence))
            {
                return;
            }
        }

        _room.Release();
    }

    public void Dispose() => _room.Dispose();
}
