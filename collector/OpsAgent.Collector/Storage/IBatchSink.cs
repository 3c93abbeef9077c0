using OpsAgent.Protocol;

namespace OpsAgent.Collector.Storage;

/// <summary>
/// Stores another part of a batch (log records, inference events, outcomes) in the same transaction as the batch's
/// metrics and its exactly-once record, so a batch is either stored whole or not at all. Called on the store's writer
/// thread for every batch that is not a duplicate; must not block on anything but the database.
/// </summary>
/// <remarks>Throwing fails the whole group commit (every batch in it is retried by its agent), so validate first.</remarks>
internal interface IBatchSink
{
    void Write(BatchSinkContext context, TelemetryBatch batch);
}
