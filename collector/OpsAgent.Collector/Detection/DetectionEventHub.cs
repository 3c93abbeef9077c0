using System.Threading.Channels;

namespace OpsAgent.Collector.Detection;

/// <summary>
/// The in-process stream of anomaly and incident changes, for live watchers (the admin API's WatchEvents) and for
/// features that act on incidents (playbooks, notifications). Each subscriber has its own bounded queue: publishing
/// never waits, and a subscriber too slow to keep up loses events, which it can see from the count in its
/// <see cref="DetectionSubscription"/> and from gaps in <see cref="DetectionEvent.Sequence"/>. A subscriber that
/// must not miss anything reads the current state from the store after subscribing (open incidents are stored
/// before their events are published).
/// </summary>
internal sealed class DetectionEventHub(DetectionMetrics metrics, TimeProvider time)
{
    private readonly Lock _sync = new();
    private DetectionSubscription[] _subscribers = [];
    private long _sequence;

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Starts receiving every event published from now on; dispose the subscription to stop.</summary>
    public DetectionSubscription Subscribe(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var channel = Channel.CreateBounded<DetectionEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of evicting, so the loss is ours to count
        });
        var subscription = new DetectionSubscription(channel, this);
        lock (_sync)
        {
            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    /// <summary>Publishes one event to every subscriber; never waits.</summary>
    public void Publish(DetectionEventKind kind, IncidentRecord? incident, AnomalyRecord? anomaly)
    {
        DetectionEvent published;
        DetectionSubscription[] subscribers;
        lock (_sync)
        {
            // Under the lock so that every subscriber sees sequence numbers in order.
            published = new DetectionEvent(++_sequence, kind, time.GetUtcNow().ToUnixTimeMilliseconds(), incident, anomaly);
            subscribers = _subscribers;
            foreach (DetectionSubscription subscriber in subscribers)
            {
                if (!subscriber.TryWrite(published))
                {
                    metrics.WatchDropped();
                }
            }
        }
    }

    internal void Remove(DetectionSubscription subscription)
    {
        lock (_sync)
        {
            _subscribers = [.. _subscribers.Where(s => !ReferenceEquals(s, subscription))];
        }
    }
}
