using System.Collections.Concurrent;

namespace OpsAgent.Collector.Observability;

/// <summary>
/// The collector's own counters, exported in Prometheus text format on /metrics. Plain interlocked counters: they
/// sit on the ingest hot path and must cost nothing measurable.
/// </summary>
internal sealed class CollectorMetrics
{
    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<string, Counter> _batches = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Counter> _rejectedItems = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Counter> _streamErrors = new(StringComparer.Ordinal);
    private readonly long[] _ackLatencyBuckets = new long[LatencyBuckets.Length + 1];
    private long _ackLatencyCount;
    private long _ackLatencySumMicros;
    private long _samplesStored;
    private long _streamsOpened;
    private long _streamsActive;
    private long _heartbeats;

    public long StreamsActive => Interlocked.Read(ref _streamsActive);

    public void StreamOpened()
    {
        Interlocked.Increment(ref _streamsOpened);
        Interlocked.Increment(ref _streamsActive);
    }

    public void StreamClosed() => Interlocked.Decrement(ref _streamsActive);

    /// <summary>A stream ended because the agent broke the protocol or a limit (code: no_hello, bad_hello, message_too_large, ...).</summary>
    public void StreamError(string code) => _streamErrors.GetOrAdd(code, static _ => new Counter()).Increment();

    /// <summary>A batch finished: stored, duplicate, partial or rejected.</summary>
    public void Batch(string outcome) => _batches.GetOrAdd(outcome, static _ => new Counter()).Increment();

    public void RejectedItems(string code, int count) => _rejectedItems.GetOrAdd(code, static _ => new Counter()).Add(count);

    public void SamplesStored(long count) => Interlocked.Add(ref _samplesStored, count);

    public void Heartbeat() => Interlocked.Increment(ref _heartbeats);

    /// <summary>Time from receiving a batch to acknowledging it (validation, queueing, commit).</summary>
    public void AckLatency(TimeSpan latency)
    {
        double seconds = latency.TotalSeconds;
        int bucket = Array.BinarySearch(LatencyBuckets, seconds);
        bucket = bucket >= 0 ? bucket : ~bucket;
        Interlocked.Increment(ref _ackLatencyBuckets[bucket]);
        Interlocked.Increment(ref _ackLatencyCount);
        Interlocked.Add(ref _ackLatencySumMicros, (long)(seconds * 1_000_000));
    }

    public void WriteTo(PrometheusTextWriter w)
    {
        w.Header("opsagent_collector_streams_active", "gauge", "Agent streams currently open.");
        w.Sample("opsagent_collector_streams_active", StreamsActive);
        w.Header("opsagent_collector_streams_opened_total", "counter", "Agent streams opened since start.");
        w.Sample("opsagent_collector_streams_opened_total", Interlocked.Read(ref _streamsOpened));
        w.Header("opsagent_collector_stream_errors_total", "counter", "Agent streams ended by a protocol or limit violation, by code.");
        foreach ((string code, Counter c) in _streamErrors)
        {
            w.Sample("opsagent_collector_stream_errors_total", c.Value, ("code", code));
        }

        w.Header("opsagent_collector_batches_total", "counter", "Batches received from agents, by outcome (stored, duplicate, partial, rejected).");
        foreach ((string outcome, Counter c) in _batches)
        {
            w.Sample("opsagent_collector_batches_total", c.Value, ("outcome", outcome));
        }

        w.Header("opsagent_collector_rejected_items_total", "counter", "Items (series, samples, records) rejected by ingest validation, by code.");
        foreach ((string code, Counter c) in _rejectedItems)
        {
            w.Sample("opsagent_collector_rejected_items_total", c.Value, ("code", code));
        }

        w.Header("opsagent_collector_samples_stored_total", "counter", "Metric samples durably stored.");
        w.Sample("opsagent_collector_samples_stored_total", Interlocked.Read(ref _samplesStored));
        w.Header("opsagent_collector_heartbeats_total", "counter", "Heartbeats received from agents.");
        w.Sample("opsagent_collector_heartbeats_total", Interlocked.Read(ref _heartbeats));

        w.Header("opsagent_collector_ack_latency_seconds", "histogram", "Time from receiving a batch to acknowledging it.");
        long cumulative = 0;
        for (int i = 0; i < LatencyBuckets.Length; i++)
        {
            cumulative += Interlocked.Read(ref _ackLatencyBuckets[i]);
            w.Sample("opsagent_collector_ack_latency_seconds_bucket", cumulative, ("le", PrometheusTextWriter.Format(LatencyBuckets[i])));
        }

        cumulative += Interlocked.Read(ref _ackLatencyBuckets[LatencyBuckets.Length]);
        w.Sample("opsagent_collector_ack_latency_seconds_bucket", cumulative, ("le", "+Inf"));
        w.Sample("opsagent_collector_ack_latency_seconds_sum", Interlocked.Read(ref _ackLatencySumMicros) / 1_000_000.0);
        w.Sample("opsagent_collector_ack_latency_seconds_count", Interlocked.Read(ref _ackLatencyCount));
    }

    private sealed class Counter
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);

        public void Add(long n) => Interlocked.Add(ref _value, n);
    }
}
