using OpsAgent.Protocol;

namespace OpsAgent.Collector.Storage;

/// <summary>
/// Durable, exactly-once storage of agent batches, and the reads the admin API needs.
/// </summary>
/// <remarks>
/// Delivery contract (../../README.md, "Delivery"): a batch is acknowledged to its agent only after
/// <see cref="AppendAsync"/> completes, which happens only after the batch is committed to disk.
/// A batch whose (agent, sequence) is already stored is not stored again and reports
/// <see cref="AppendStatus.Duplicate"/>. When the store is slower than its input, <see cref="AppendAsync"/>
/// waits (bounded queue) and the wait propagates back through the gRPC stream as flow control.
/// </remarks>
internal interface ITelemetryStore
{
    /// <summary>Stores an already validated batch for <paramref name="agentId"/>; completes after commit.</summary>
    ValueTask<AppendResult> AppendAsync(string agentId, TelemetryBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Tells the store that the agent no longer holds any batch below <paramref name="sequence"/>, so the
    /// duplicate-detection records below it can be pruned.
    /// </summary>
    void ForgetSequencesBelow(string agentId, ulong sequence);

    /// <summary>Series whose name starts with the prefix and whose labels match every matcher.</summary>
    SeriesListing ListSeries(SeriesSelector selector, int limit);

    /// <summary>Samples of the matching series between start and end, raw or aggregated per step.</summary>
    QueryResult Query(MetricQuery query);

    StoreStatistics GetStatistics();
}

internal enum AppendStatus
{
    Stored,
    Duplicate,
}

/// <param name="Status">Stored, or Duplicate when this (agent, sequence) was stored before.</param>
/// <param name="SamplesStored">Samples written by this call (0 for a duplicate).</param>
/// <param name="SeriesRejected">New series not stored because the agent has <see cref="StorageOptions.MaxSeriesPerAgent"/> already.</param>
/// <param name="FirstRejectedSeries">The name of the first of them.</param>
internal readonly record struct AppendResult(AppendStatus Status, int SamplesStored, int SeriesRejected = 0, string? FirstRejectedSeries = null);

/// <summary>
/// Which series to read. <see cref="Matchers"/> may name the virtual labels <c>host</c> (the agent's hostname)
/// and <c>agent_id</c> besides the series' own labels and the agent's static labels.
/// </summary>
internal sealed record SeriesSelector(string? Name, string? NamePrefix, IReadOnlyList<LabelMatcher> Matchers);

internal sealed record SeriesListing(IReadOnlyList<StoredSeries> Series, bool Truncated);

/// <param name="Labels">Effective labels: the series' own, the agent's static labels, host and agent_id; sorted by key.</param>
internal sealed record StoredSeries(
    ulong SeriesId,
    string AgentId,
    string Hostname,
    string Name,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    MetricKind Kind,
    string Unit,
    long FirstSampleUnixMs,
    long LastSampleUnixMs);

/// <param name="StepMs">0 returns raw samples; otherwise one point per step, stamped with the step's start.</param>
internal sealed record MetricQuery(
    SeriesSelector Selector,
    long StartUnixMs,
    long EndUnixMs,
    long StepMs,
    Aggregation Aggregation,
    int MaxSeries);

internal sealed record QueryResult(IReadOnlyList<SeriesSamples> Series, bool Truncated);

internal sealed record SeriesSamples(StoredSeries Series, long[] TimestampsUnixMs, double[] Values);

internal sealed record StoreStatistics(
    ulong Series,
    ulong Samples,
    ulong ChunkBytes,
    ulong ChunkSamples,
    ulong FileBytes,
    ulong BatchesStored,
    ulong DuplicatesDropped,
    long OldestSampleUnixMs,
    long NewestSampleUnixMs,
    string DataDirectory);
