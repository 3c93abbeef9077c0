namespace OpsAgent.Collector.Commands;

/// <summary>Which commands to list, newest first.</summary>
/// <param name="States">Only these states; empty: any.</param>
/// <param name="Host">A host name or agent id; null: any.</param>
/// <param name="SinceUnixMs">Made at or after this time.</param>
/// <param name="IncidentId">Only the commands of this incident's playbook runs; null: any.</param>
/// <param name="Limit">At most this many.</param>
internal sealed record CommandFilter(IReadOnlyList<CommandState> States, string? Host, long SinceUnixMs, string? IncidentId, int Limit);
