using OpsAgent.Collector.Playbooks.Engine;

namespace OpsAgent.Collector.Playbooks.Persistence;

/// <summary>What one engine event changed. Later changes to the same key replace earlier ones.</summary>
internal sealed class PlaybookStateChanges
{
    public Dictionary<string, PlaybookRun> Runs { get; } = new(StringComparer.Ordinal);

    public Dictionary<PlaybookTarget, DateTimeOffset> LastRunEnded { get; } = [];

    public Dictionary<PlaybookTarget, CircuitBreakerState> Breakers { get; } = [];

    /// <summary>Unreadable runs to mark ended (cancelled) so they are not reported again at the next start.</summary>
    public Dictionary<string, string> EndUnreadable { get; } = new(StringComparer.Ordinal);

    /// <summary>Delete runs that ended before this time.</summary>
    public DateTimeOffset? PruneRunsBefore { get; set; }

    /// <summary>Delete cooldown records of runs that ended before this time (older than any cooldown can be).</summary>
    public DateTimeOffset? PruneCooldownsBefore { get; set; }

    public bool IsEmpty =>
        Runs.Count == 0 && LastRunEnded.Count == 0 && Breakers.Count == 0 && EndUnreadable.Count == 0
        && PruneRunsBefore is null && PruneCooldownsBefore is null;
}
