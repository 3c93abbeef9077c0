namespace OpsAgent.Collector.Storage;

/// <summary>SQLite <c>PRAGMA synchronous</c> values the store supports.</summary>
public enum StorageSynchronousMode
{
    /// <summary>Fsync the write-ahead log on every commit: acknowledged batches survive power loss.</summary>
    Full,

    /// <summary>Fsync at SQLite checkpoints only: survives a process crash, not a power cut.</summary>
    Normal,
}
