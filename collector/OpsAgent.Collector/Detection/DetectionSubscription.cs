using System.Threading.Channels;

namespace OpsAgent.Collector.Detection;

/// <summary>One subscriber's queue of <see cref="DetectionEvent"/>s; dispose it to unsubscribe.</summary>
internal sealed class DetectionSubscription : IDisposable
{
    private readonly Channel<DetectionEvent> _channel;
    private readonly DetectionEventHub _hub;
    private long _dropped;

    public DetectionSubscription(Channel<DetectionEvent> channel, DetectionEventHub hub)
    {
        _channel = channel;
        _hub = hub;
    }

    public ChannelReader<DetectionEvent> Reader => _channel.Reader;

    /// <summary>Events this subscriber lost because its queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal bool TryWrite(DetectionEvent published)
    {
        if (_channel.Writer.TryWrite(published))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    public void Dispose()
    {
        _hub.Remove(this);
        _channel.Writer.TryComplete();
    }
}
