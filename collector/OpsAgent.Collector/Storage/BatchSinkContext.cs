using Microsoft.Data.Sqlite;

namespace OpsAgent.Collector.Storage;

/// <summary>What an <see cref="IBatchSink"/> gets: the writer's connection and open transaction, and whose batch it is.</summary>
/// <param name="Connection">The writer's connection; create commands on it and set <paramref name="Transaction"/>.</param>
/// <param name="Transaction">The group commit's transaction.</param>
/// <param name="AgentId">The agent the batch came from.</param>
/// <param name="AgentKey">The store's integer key of that agent, for compact foreign keys.</param>
/// <param name="CommittedUnixMs">The time the group commit started.</param>
internal sealed record BatchSinkContext(
    SqliteConnection Connection,
    SqliteTransaction Transaction,
    string AgentId,
    long AgentKey,
    long CommittedUnixMs);
