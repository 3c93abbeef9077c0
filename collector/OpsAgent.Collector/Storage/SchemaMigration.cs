namespace OpsAgent.Collector.Storage;

/// <summary>
/// One step of one component's schema. Each feature (telemetry, agents, logs, incidents, ...) numbers its own
/// steps from 1, so features written in parallel never compete for one global schema version.
/// </summary>
/// <param name="Component">Stable name of the feature that owns the tables, e.g. "telemetry".</param>
/// <param name="Version">1, 2, 3, ... applied in order, each once, inside one transaction.</param>
/// <param name="Sql">Statements to run; may hold several separated by semicolons.</param>
internal sealed record SchemaMigration(string Component, int Version, string Sql);
