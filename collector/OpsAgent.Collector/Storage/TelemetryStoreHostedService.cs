using Microsoft.Extensions.Options;

namespace OpsAgent.Collector.Storage;

/// <summary>
/// Opens and recovers the store before the collector accepts connections, drives checkpoints and maintenance on a
/// timer from the injected <see cref="TimeProvider"/>, and on stop commits what is queued and checkpoints, so the
/// next start needs no replay. A database that cannot be opened stops the collector with a message for the admin.
/// </summary>
internal sealed partial class TelemetryStoreHostedService : IHostedService, IAsyncDisposable
{
    private readonly SqliteTelemetryStore _store;
    private readonly SqliteAgentRepository _agents;
    private readonly StorageOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TelemetryStoreHostedService> _logger;
    private ITimer? _checkpointTimer;
    private ITimer? _maintenanceTimer;
    private int _maintenanceRunning;

    public TelemetryStoreHostedService(
        SqliteTelemetryStore store,
        SqliteAgentRepository agents,
        IOptions<StorageOptions> options,
        TimeProvider time,
        ILogger<TelemetryStoreHostedService> logger)
    {
        _store = store;
        _agents = agents;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _store.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StorageUnavailableException ex)
        {
            LogCannotStart(_logger, ex.Message);
            throw;
        }

        // Slices keep the checkpoint round moving when no batches arrive to carry it.
        TimeSpan slice = _options.CheckpointInterval / 8;
        _checkpointTimer = _time.CreateTimer(_ => Fire(ControlKind.CheckpointSlice), null, slice, slice);
        _maintenanceTimer = _time.CreateTimer(_ => Fire(ControlKind.Maintenance), null, _options.MaintenanceInterval, _options.MaintenanceInterval);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await DisposeTimersAsync().ConfigureAwait(false);
        await _store.StopAsync(cancellationToken).ConfigureAwait(false);
        _agents.Flush();
    }

    public async ValueTask DisposeAsync() => await DisposeTimersAsync().ConfigureAwait(false);

    private async ValueTask DisposeTimersAsync()
    {
        if (_checkpointTimer is not null)
        {
            await _checkpointTimer.DisposeAsync().ConfigureAwait(false);
            _checkpointTimer = null;
        }

        if (_maintenanceTimer is not null)
        {
            await _maintenanceTimer.DisposeAsync().ConfigureAwait(false);
            _maintenanceTimer = null;
        }
    }

    private void Fire(ControlKind kind) => _ = RunAsync(kind);

    private async Task RunAsync(ControlKind kind)
    {
        if (!_store.IsRunning || Interlocked.Exchange(ref _maintenanceRunning, 1) == 1)
        {
            return; // the previous pass is still running; skip rather than queue up
        }

        try
        {
            if (kind == ControlKind.Maintenance)
            {
                await _store.RunMaintenanceAsync(CancellationToken.None).ConfigureAwait(false);
                _agents.Flush();
            }
            else
            {
                await _store.CheckpointSliceAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // The store stopped between the check and the request.
        }
        catch (Exception ex)
        {
            LogPassFailed(_logger, ex, kind);
        }
        finally
        {
            Volatile.Write(ref _maintenanceRunning, 0);
        }
    }

    [LoggerMessage(EventId = 1040, Level = LogLevel.Critical, Message = "The collector cannot start because its database is unusable: {Reason}")]
    private static partial void LogCannotStart(ILogger logger, string reason);

    [LoggerMessage(EventId = 1041, Level = LogLevel.Error, Message = "Storage pass {Kind} failed; it runs again at the next tick")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, ControlKind kind);
}
