using OpsAgent.Protocol;

namespace OpsAgent.Agent.Outbox;

/// <summary>
/// Holds batches from the moment a source produces them until the collector acknowledges them.
/// </summary>
/// <remarks>
/// Producers never wait on the network: <see cref="EnqueueAsync"/> returns once the batch is held (in memory or on
/// disk, per implementation). The outbox is bounded; when full it drops the oldest batches of the lowest-priority lane
/// and counts every drop. The uplink opens a reader per connection; everything not yet acknowledged is sent again on
/// the next connection, in lane priority order, so delivery is at-least-once and the collector deduplicates.
/// </remarks>
internal interface IOutbox
{
    /// <summary>
    /// Assigns the batch its sequence number and keeps it until acknowledged or dropped. The outbox owns the batch from
    /// here on: the caller must not change it afterwards (it may be the very object that is sent).
    /// </summary>
    ValueTask<ulong> EnqueueAsync(TelemetryBatch batch, OutboxLane lane, CancellationToken cancellationToken);

    /// <summary>A fresh reader over everything not yet acknowledged, for one connection.</summary>
    IOutboxReader OpenReader();

    /// <summary>Removes an acknowledged batch. Unknown or already removed sequence numbers are ignored.</summary>
    void Acknowledge(ulong sequence);

    /// <summary>The lowest sequence number still held, or the next one to be assigned when empty.</summary>
    ulong OldestUnacknowledgedSequence { get; }

    OutboxStatistics GetStatistics();
}

/// <summary>Yields not-yet-sent batches of one connection, highest-priority lane first, oldest first within a lane.</summary>
internal interface IOutboxReader
{
    /// <summary>Waits for the next batch this reader has not yielded yet.</summary>
    ValueTask<OutboxEntry> ReadAsync(CancellationToken cancellationToken);
}

/// <param name="Batches">Batches held and not yet acknowledged.</param>
/// <param name="Bytes">Bytes the outbox holds: on disk for the disk outbox, in memory for the memory outbox.</param>
/// <param name="MaxBytes">The bound of <paramref name="Bytes"/>.</param>
/// <param name="DroppedBatches">Per lane, batches dropped because the outbox was full, since start.</param>
/// <param name="AcknowledgedBatches">Batches acknowledged by the collector since start.</param>
internal sealed record OutboxStatistics(
    int Batches,
    long Bytes,
    long MaxBytes,
    IReadOnlyDictionary<OutboxLane, long> DroppedBatches,
    long AcknowledgedBatches)
{
    /// <summary>Bytes of batches held in memory for sending.</summary>
    public long MemoryBytes { get; init; }

    public long MaxMemoryBytes { get; init; }

    /// <summary>Damaged records found in segment files since start (a run of damaged bytes counts once); their batches are lost.</summary>
    public long DamagedRecords { get; init; }

    /// <summary>Unusable segment files moved to quarantine since start.</summary>
    public long QuarantinedFiles { get; init; }

    /// <summary>Batches that could not be written to disk since start (kept in memory only, or dropped).</summary>
    public long WriteFailures { get; init; }

    /// <summary>Group commits (fsync rounds) since start.</summary>
    public long Fsyncs { get; init; }
}
