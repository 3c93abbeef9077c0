using System.Threading.Channels;
using OpsAgent.Collector.Playbooks.Engine;

namespace OpsAgent.Collector.Playbooks;

/// <summary>
/// Events for the playbook engine from detection, the command dispatcher and the admin API, in one bounded queue that
/// <see cref="PlaybookInboxPump"/> hands to the <see cref="PlaybookRunner"/>. It exists so that the runner's own decision
/// handlers (the dispatcher, the incident handler) can post without waiting on the runner that is calling them, and so
/// that they need not depend on the runner (which depends on them).
/// </summary>
internal sealed class PlaybookInbox
{
    public const int Capacity = 4096;

    private readonly Channel<PlaybookInput> _channel = Channel.CreateBounded<PlaybookInput>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private long _dropped;

    public ChannelReader<PlaybookInput> Reader => _channel.Reader;

    /// <summary>Events that <see cref="TryPost"/> could not queue.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues an event, waiting while the queue is full. Not for code the runner calls (it would wait on itself).</summary>
    public ValueTask PostAsync(PlaybookInput input, CancellationToken cancellationToken) => _channel.Writer.WriteAsync(input, cancellationToken);

    /// <summary>Queues an event if there is room (for the runner's own decision handlers); false, counted, when full.</summary>
    public bool TryPost(PlaybookInput input)
    {
        if (_channel.Writer.TryWrite(input))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }
}
