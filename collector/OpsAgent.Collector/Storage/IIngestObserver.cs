namespace OpsAgent.Collector.Storage;

/// <summary>
/// Receives every committed batch after it is durable (anomaly detection, live watches). The store hands batches
/// over through a bounded queue per observer and a dedicated pump, so a slow observer never slows the writer: when
/// its queue is full, notifications are dropped and counted in <see cref="StoreCounters.ObserverDrops"/>.
/// </summary>
internal interface IIngestObserver
{
    /// <summary>Handles one committed batch. Called from the observer's own pump, one call at a time.</summary>
    ValueTask OnCommittedAsync(CommittedBatch batch, CancellationToken cancellationToken);
}
