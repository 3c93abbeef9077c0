using Microsoft.Extensions.Options;

namespace OpsAgent.Collector.Detection;

/// <summary>
/// Starts the detection workers and the incident tracker, drives their ticks and periodic checkpoints from the injected
/// <see cref="TimeProvider"/>, and on stop scores what is queued and saves every detector, so that the next start
/// continues where this one stopped. Registered before the store's hosted service, so it stops after the store has
/// handed over its last committed batches.
/// </summary>
internal sealed partial class DetectionHostedService : IHostedService, IAsyncDisposable
{
    /// <summary>How often workers look for silent series and the tracker for incidents whose merge gap ran out.</summary>
    public static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    private readonly DetectionPipeline _pipeline;
    private readonly DetectionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DetectionHostedService> _logger;
    private ITimer? _tickTimer;
    private ITimer? _checkpointTimer;
    private int _checkpointRunning;

    public DetectionHostedService(DetectionPipeline pipeline, IOptions<DetectionOptions> options, TimeProvider time, ILogger<DetectionHostedService> logger)
    {
        _pipeline = pipeline;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _pipeline.Start();
        _tickTimer = _time.CreateTimer(_ => _pipeline.Tick(_time.GetUtcNow().ToUnixTimeMilliseconds()), null, TickInterval, TickInterval);
        _checkpointTimer = _time.CreateTimer(_ => _ = CheckpointAsync(), null, _options.CheckpointInterval, _options.CheckpointInterval);
        LogStarted(_logger, _pipeline.Workers.Count, _options.MaxSeries, _options.CheckpointInterval);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await DisposeTimersAsync().ConfigureAwait(false);
        long started = _time.GetTimestamp();
        await _pipeline.StopAsync(cancellationToken).ConfigureAwait(false);
        LogStopped(_logger, _time.GetElapsedTime(started).TotalMilliseconds);
    }

    public async ValueTask DisposeAsync() => await DisposeTimersAsync().ConfigureAwait(false);

    private async Task CheckpointAsync()
    {
        if (!_pipeline.IsRunning || Interlocked.Exchange(ref _checkpointRunning, 1) == 1)
        {
            return; // the previous round is still running; skip rather than queue up
        }

        try
        {
            await _pipeline.CheckpointAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckpointFailed(_logger, ex);
        }
        finally
        {
            Volatile.Write(ref _checkpointRunning, 0);
        }
    }

    private async ValueTask DisposeTimersAsync()
    {
        if (_tickTimer is not null)
        {
            await _tickTimer.DisposeAsync().ConfigureAwait(false);
            _tickTimer = null;
        }

        if (_checkpointTimer is not null)
        {
            await _checkpointTimer.DisposeAsync().ConfigureAwait(false);
            _checkpointTimer = null;
        }
    }

    [LoggerMessage(EventId = 5040, Level = LogLevel.Information, Message = "Detection started: {Workers} workers, at most {MaxSeries} series, detectors saved every {CheckpointInterval}")]
    private static partial void LogStarted(ILogger logger, int workers, int maxSeries, TimeSpan checkpointInterval);

    [LoggerMessage(EventId = 5041, Level = LogLevel.Information, Message = "Detection stopped after saving every detector ({Milliseconds} ms)")]
    private static partial void LogStopped(ILogger logger, double milliseconds);

    [LoggerMessage(EventId = 5042, Level = LogLevel.Error, Message = "Saving detector states failed; they are saved again at the next checkpoint. Check the database file and the disk")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
