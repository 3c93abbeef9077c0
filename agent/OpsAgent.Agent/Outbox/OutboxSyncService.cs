namespace OpsAgent.Agent.Outbox;

/// <summary>
/// Runs the disk outbox's group commit every <see cref="OutboxOptions.FsyncInterval"/> (fsync per policy, saving
/// acknowledgements), and a last one when the agent stops. Registered before the services that enqueue and send, so
/// that it stops after them.
/// </summary>
internal sealed class OutboxSyncService(IOutbox outbox, OutboxOptions options, TimeProvider timeProvider) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (outbox is not DiskOutbox disk)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.FsyncInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                disk.Flush();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync flushes once more.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        (outbox as DiskOutbox)?.Flush();
    }
}
