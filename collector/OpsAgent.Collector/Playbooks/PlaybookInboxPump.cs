using OpsAgent.Collector.Playbooks.Engine;

namespace OpsAgent.Collector.Playbooks;

/// <summary>Moves events from the <see cref="PlaybookInbox"/> to the <see cref="PlaybookRunner"/>, in order.</summary>
internal sealed class PlaybookInboxPump(PlaybookInbox inbox, PlaybookRunner runner) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (PlaybookInput input in inbox.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await runner.PostAsync(input, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the engine's state is saved; what was queued here is what detection and agents will say again.
        }
    }
}
