namespace OpsAgent.Collector.Ingest;

/// <summary>
/// Limits on what one agent may send (section <c>Collector:Ingest</c>). Each is a guard against a broken or hostile
/// agent; the defaults are far above what the agent itself produces.
/// </summary>
internal sealed class IngestOptions
{
    public const string SectionName = "Collector:Ingest";

    /// <summary>Largest batch accepted, in serialized bytes. Larger batches are rejected whole.</summary>
    public int MaxBatchBytes { get; set; } = 4 * 1024 * 1024;

    public int MaxSeriesPerBatch { get; set; } = 20_000;

    public int MaxSamplesPerBatch { get; set; } = 200_000;

    public int MaxLabelsPerSeries { get; set; } = 32;

    public int MaxNameLength { get; set; } = 255;

    public int MaxLabelNameLength { get; set; } = 128;

    public int MaxLabelValueLength { get; set; } = 1024;

    public int MaxUnitLength { get; set; } = 64;

    /// <summary>Samples stamped further in the future than this are rejected (a host with a wrong clock).</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Samples older than this are rejected (the store would drop them at once anyway).</summary>
    public TimeSpan MaxSampleAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Batches one stream may have waiting for the store before the collector stops reading from it.</summary>
    public int MaxPendingBatchesPerStream { get; set; } = 16;

    /// <summary>
    /// Serialized bytes of batches held between reading and acknowledging them, across all streams; beyond it the
    /// collector stops reading (flow control slows the agents). What this costs in memory is several times the figure
    /// (parsed batches are larger than their wire form).
    /// </summary>
    public long MaxPendingBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>How long a new stream has to send Hello.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A stream on which no complete message (batch or heartbeat) arrives for this long is closed with
    /// DEADLINE_EXCEEDED: a dead peer, or a slow client holding a connection by trickling bytes. Agents heartbeat at a
    /// third of it (the Welcome tells them).
    /// </summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Samples per second one agent may send, on average (bursts up to ten seconds' worth, or one maximal batch).
    /// Beyond it the collector reads that agent's stream more slowly: nothing is lost, the agent's data waits in its
    /// outbox, and the throttling is counted (opsagent_collector_throttled_total) and logged.
    /// </summary>
    public int MaxSamplesPerSecondPerAgent { get; set; } = 50_000;

    /// <summary>Messages (batches and heartbeats) per second one agent may send, on average; enforced like the samples.</summary>
    public int MaxMessagesPerSecondPerAgent { get; set; } = 100;
}
