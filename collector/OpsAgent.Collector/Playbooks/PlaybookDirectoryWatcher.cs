using Microsoft.Extensions.Options;
using OpsAgent.Collector.Playbooks.Catalog;

namespace OpsAgent.Collector.Playbooks;

/// <summary>
/// Loads the playbook directory at start-up and re-reads it every <see cref="PlaybookOptions.RescanInterval"/>, so
/// files edited, added or removed by hand take effect without a restart. Re-reading a few small files is cheaper and
/// more dependable than file-system notifications, which miss events on network file systems and after renames.
/// </summary>
internal sealed class PlaybookDirectoryWatcher(PlaybookStore store, TimeProvider time, IOptions<PlaybookOptions> options) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        store.EnsureLoaded();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RescanInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                store.Reload();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
