using System.Collections.Concurrent;
using OpsAgent.Collector.Observability;

namespace OpsAgent.Collector.Notifications;

/// <summary>Webhook delivery counters per receiver, for /metrics (<see cref="WriteTo"/>).</summary>
internal sealed class NotificationCounters
{
    private readonly ConcurrentDictionary<string, long[]> _perReceiver = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Receiver, string Reason), long[]> _failed = new();

    private const int Queued = 0, Sent = 1, Retries = 2, Dropped = 3, Depth = 4;

    public void QueuedOne(string receiver) => Add(receiver, Queued, 1);

    public void SentOne(string receiver) => Add(receiver, Sent, 1);

    public void Retried(string receiver) => Add(receiver, Retries, 1);

    /// <summary>A notification was dropped because the receiver's queue was full.</summary>
    public void DroppedOne(string receiver) => Add(receiver, Dropped, 1);

    public void DepthChanged(string receiver, int delta) => Add(receiver, Depth, delta);

    /// <summary>A notification was given up: <c>rejected</c> (4xx), <c>retries_exhausted</c>, <c>retry_after_too_long</c>.</summary>
    public void Failed(string receiver, string reason) => Interlocked.Increment(ref _failed.GetOrAdd((receiver, reason), static _ => new long[1])[0]);

    public long Value(string receiver, string counter) => _perReceiver.TryGetValue(receiver, out long[]? c)
        ? Interlocked.Read(ref c[counter switch { "queued" => Queued, "sent" => Sent, "retries" => Retries, "dropped" => Dropped, "queue_depth" => Depth, _ => throw new ArgumentOutOfRangeException(nameof(counter), counter, "queued, sent, retries, dropped or queue_depth") }])
        : 0;

    public long FailedCount(string receiver, string reason) => _failed.TryGetValue((receiver, reason), out long[]? c) ? Interlocked.Read(ref c[0]) : 0;

    public void WriteTo(PrometheusTextWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        Family(w, "opsagent_notifications_queued_total", "counter", "Notifications queued for a webhook receiver.", Queued);
        Family(w, "opsagent_notifications_sent_total", "counter", "Notifications delivered (2xx response).", Sent);
        Family(w, "opsagent_notifications_retries_total", "counter", "Delivery attempts repeated after a 5xx, 408, 429, timeout or connection error.", Retries);
        Family(w, "opsagent_notifications_dropped_total", "counter", "Notifications dropped because the receiver's queue was full (the oldest goes).", Dropped);
        Family(w, "opsagent_notifications_queue_depth", "gauge", "Notifications waiting for a receiver.", Depth);
        w.Header("opsagent_notifications_failed_total", "counter", "Notifications given up, by reason (rejected, retries_exhausted, retry_after_too_long).");
        foreach (((string receiver, string reason), long[] c) in _failed)
        {
            w.Sample("opsagent_notifications_failed_total", Interlocked.Read(ref c[0]), ("receiver", receiver), ("reason", reason));
        }
    }

    private void Add(string receiver, int index, long delta) =>
        Interlocked.Add(ref _perReceiver.GetOrAdd(receiver, static _ => new long[5])[index], delta);

    private void Family(PrometheusTextWriter w, string name, string type, string help, int index)
    {
        w.Header(name, type, help);
        foreach ((string receiver, long[] c) in _perReceiver)
        {
            w.Sample(name, Interlocked.Read(ref c[index]), ("receiver", receiver));
        }
    }
}
