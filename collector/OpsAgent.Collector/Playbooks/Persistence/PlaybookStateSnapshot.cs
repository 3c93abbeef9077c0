using OpsAgent.Collector.Playbooks.Engine;

namespace OpsAgent.Collector.Playbooks.Persistence;

/// <summary>The engine's stored state as loaded at start-up.</summary>
internal sealed record PlaybookStateSnapshot(
    IReadOnlyList<PlaybookRun> Runs,
    IReadOnlyList<UnreadableRun> Unreadable,
    IReadOnlyDictionary<PlaybookTarget, DateTimeOffset> LastRunEnded,
    IReadOnlyList<CircuitBreakerState> Breakers)
{
    public static PlaybookStateSnapshot Empty { get; } = new([], [], new Dictionary<PlaybookTarget, DateTimeOffset>(), []);
}
