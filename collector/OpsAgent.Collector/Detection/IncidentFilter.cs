namespace OpsAgent.Collector.Detection;

/// <summary>Which incidents a reader wants: those open at some time since <paramref name="SinceUnixMs"/>, newest first.</summary>
/// <param name="Host">A hostname or an agent id; null for all.</param>
internal sealed record IncidentFilter(long SinceUnixMs, string? Host, bool OpenOnly, int Limit);
