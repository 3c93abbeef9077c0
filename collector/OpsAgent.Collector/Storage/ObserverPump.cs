using System.Threading.Channels;

namespace OpsAgent.Collector.Storage;

/// <summary>
/// The bounded hand-off between the writer and one <see cref="IIngestObserver"/>: the writer only ever calls
/// <see cref="TryPost"/>, which never waits; a full queue drops the notification and counts it.
/// </summary>
internal sealed partial class ObserverPump : IAsyncDisposable
{
    private readonly IIngestObserver _observer;
    private readonly Channel<CommittedBatch> _queue;
    private readonly StoreCounters _counters;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    public ObserverPump(IIngestObserver observer, int capacity, StoreCounters counters, ILogger logger)
    {
        _observer = observer;
        _counters = counters;
        _logger = logger;
        _queue = Channel.CreateBounded<CommittedBatch>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of evicting, so the drop is ours to count
        });
        _pump = Task.Run(PumpAsync);
    }

    public void TryPost(CommittedBatch batch)
    {
        if (!_queue.Writer.TryWrite(batch))
        {
            _counters.ObserverDropped();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _pump.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task PumpAsync()
    {
        await foreach (CommittedBatch batch in _queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await _observer.OnCommittedAsync(batch, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogObserverFailed(_logger, ex, _observer.GetType().Name, batch.AgentId, batch.Batch.Sequence);
            }
        }
    }

    [LoggerMessage(EventId = 1090, Level = LogLevel.Error, Message = "Ingest observer {Observer} failed on batch {Sequence} of agent {AgentId}; it keeps receiving later batches")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception, string observer, string agentId, ulong sequence);
}
