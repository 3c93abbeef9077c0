namespace OpsAgent.Collector.Playbooks.Persistence;

/// <summary>
/// Where the engine keeps what must survive a restart: runs (active and recent, which also give the hourly budget
/// and the one-run-per-incident rule), per-host cooldowns and circuit breakers.
/// </summary>
internal interface IPlaybookStateRepository
{
    /// <summary>Everything stored. Runs that cannot be read back are listed in <see cref="PlaybookStateSnapshot.Unreadable"/>.</summary>
    PlaybookStateSnapshot Load();

    /// <summary>Writes the changes of one engine event atomically (one transaction).</summary>
    void Save(PlaybookStateChanges changes);
}
