using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Playbooks.Catalog;
using OpsAgent.Collector.Playbooks.Engine;

namespace OpsAgent.Collector.Playbooks;

/// <summary>
/// Drives the <see cref="PlaybookEngine"/>: one bounded queue of events (triggers from detection, results from
/// agents, approvals from operators, and a timer tick), processed one at a time, each event's decisions handed to
/// every <see cref="IPlaybookDecisionHandler"/> before the next event is taken.
/// </summary>
/// <remarks>
/// Producers wait when the queue is full (<see cref="PostAsync"/>): a command result or an approval must not be
/// dropped. Only timer ticks are dropped when it is full, and they carry no data. An exception from the engine or a
/// handler is logged and the runner goes on with the next event: self-healing must outlive one bad event.
/// </remarks>
internal sealed partial class PlaybookRunner : BackgroundService
{
    private readonly PlaybookEngine _engine;
    private readonly PlaybookStore _store;
    private readonly IReadOnlyList<IPlaybookDecisionHandler> _handlers;
    private readonly TimeProvider _time;
    private readonly PlaybookOptions _options;
    private readonly ILogger<PlaybookRunner> _logger;
    private readonly Channel<PlaybookInput> _inputs;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _processed;

    public PlaybookRunner(
        PlaybookEngine engine,
        PlaybookStore store,
        IEnumerable<IPlaybookDecisionHandler> handlers,
        TimeProvider time,
        IOptions<PlaybookOptions> options,
        ILogger<PlaybookRunner> logger)
    {
        _engine = engine;
        _store = store;
        _handlers = [.. handlers];
        _time = time;
        _options = options.Value;
        _logger = logger;
        _inputs = Channel.CreateBounded<PlaybookInput>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Runs and recent history; safe from any thread.</summary>
    public IReadOnlyList<PlaybookRun> Runs => _engine.Runs;

    /// <summary>Circuit breakers with something to say (open, half-open, or failures counted); safe from any thread.</summary>
    public IReadOnlyList<CircuitBreakerState> Breakers => _engine.Breakers;

    /// <summary>Completes once the engine has loaded its state and handed out its resume decisions.</summary>
    public Task Started => _started.Task;

    /// <summary>Events processed since start (for tests and diagnostics).</summary>
    public long Processed => Interlocked.Read(ref _processed);

    /// <summary>Queues an event; waits while the queue is full.</summary>
    public ValueTask PostAsync(PlaybookInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return _inputs.Writer.WriteAsync(input, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _store.EnsureLoaded();
        await DispatchAsync(_engine.Start(), stoppingToken).ConfigureAwait(false);
        _started.TrySetResult();
        using ITimer timer = _time.CreateTimer(
            _ => _inputs.Writer.TryWrite(new PlaybookInput.TimePassed()), null, _options.TickInterval, _options.TickInterval);
        try
        {
            await foreach (PlaybookInput input in _inputs.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                IReadOnlyList<PlaybookDecision> decisions;
                try
                {
                    decisions = _engine.Handle(input);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogEngineFailed(_logger, ex, input.GetType().Name);
                    continue;
                }

                await DispatchAsync(decisions, stoppingToken).ConfigureAwait(false);
                Interlocked.Increment(ref _processed);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the engine's state was saved after every event; runs resume at the next start.
        }
    }

    private async Task DispatchAsync(IReadOnlyList<PlaybookDecision> decisions, CancellationToken cancellationToken)
    {
        if (decisions.Count == 0)
        {
            return;
        }

        foreach (IPlaybookDecisionHandler handler in _handlers)
        {
            try
            {
                await handler.HandleAsync(decisions, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogHandlerFailed(_logger, ex, handler.GetType().Name, decisions.Count);
            }
        }
    }

    [LoggerMessage(EventId = 6030, Level = LogLevel.Critical, Message = "The playbook engine failed on a {Input} event; the event is skipped and the engine goes on. This is a bug: please report it with this log.")]
    private static partial void LogEngineFailed(ILogger logger, Exception exception, string input);

    [LoggerMessage(EventId = 6031, Level = LogLevel.Error, Message = "Decision handler {Handler} failed on {Count} playbook decision(s); the other handlers still got them.")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string handler, int count);
}
