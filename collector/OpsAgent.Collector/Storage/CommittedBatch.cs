using OpsAgent.Protocol;

namespace OpsAgent.Collector.Storage;

/// <summary>A batch after commit, with the store's series id for each of its metric series (0 for an empty one).</summary>
/// <param name="Batch">The batch as received; observers must not modify it.</param>
/// <param name="SeriesIds">Parallel to <c>Batch.Metrics</c>.</param>
internal sealed record CommittedBatch(string AgentId, TelemetryBatch Batch, ulong[] SeriesIds);
