using Microsoft.Extensions.Options;

namespace OpsAgent.Collector.Ingest;

/// <summary>
/// The collector-wide bound on batches held between reading them from a stream and acknowledging them
/// (<see cref="IngestOptions.MaxPendingBytes"/>, in serialized bytes). A stream takes its batch's size before it goes
/// to validation and the store, and gives it back when the batch is acknowledged; when the budget is spent, streams
/// wait (first come, first served) and stop reading, so HTTP/2 flow control slows their agents instead of memory
/// growing with the number of agents. A batch larger than the whole budget is let through when nothing else is held.
/// </summary>
internal sealed class IngestBudget(IOptions<IngestOptions> options)
{
    private readonly long _max = options.Value.MaxPendingBytes;
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _waiters = [];
    private long _used;
    private long _waits;

    /// <summary>Bytes held now.</summary>
    public long Used
    {
        get
        {
            lock (_lock)
            {
                return _used;
            }
        }
    }

    public long Max => _max;

    /// <summary>Times a stream had to wait for room, since start.</summary>
    public long Waits => Interlocked.Read(ref _waits);

    public ValueTask AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            if (_waiters.Count == 0 && Fits(bytes))
            {
                _used += bytes;
                return ValueTask.CompletedTask;
            }

            waiter = new Waiter(bytes);
            waiter.Node = _waiters.AddLast(waiter);
        }

        Interlocked.Increment(ref _waits);
        return new ValueTask(WaitAsync(waiter, cancellationToken));
    }

    public void Release(long bytes)
    {
        List<Waiter>? granted = null;
        lock (_lock)
        {
            _used -= bytes;
            while (_waiters.First is { } first && Fits(first.Value.Bytes))
            {
                _waiters.RemoveFirst();
                first.Value.Node = null;
                _used += first.Value.Bytes;
                (granted ??= []).Add(first.Value);
            }
        }

        foreach (Waiter waiter in granted ?? [])
        {
            waiter.Completion.TrySetResult();
        }
    }

    private bool Fits(long bytes) => _used + bytes <= _max || _used == 0;

    private async Task WaitAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        CancellationTokenRegistration registration = cancellationToken.Register(() =>
        {
            bool removed = false;
            lock (_lock)
            {
                if (waiter.Node is { } node)
                {
                    _waiters.Remove(node);
                    waiter.Node = null;
                    removed = true;
                }
            }

            if (removed)
            {
                waiter.Completion.TrySetCanceled(cancellationToken);

                // The waiter at the head may have been holding back smaller ones behind it.
                Release(0);
            }
        });
        await using (registration.ConfigureAwait(false))
        {
            await waiter.Completion.Task.ConfigureAwait(false);
        }
    }

    private sealed class Waiter(long bytes)
    {
        public long Bytes { get; } = bytes;

        public LinkedListNode<Waiter>? Node { get; set; }

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
