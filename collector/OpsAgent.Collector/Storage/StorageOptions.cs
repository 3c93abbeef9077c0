using OpsAgent.Collector.Configuration;

namespace OpsAgent.Collector.Storage;

/// <summary>Settings of the embedded store, bound from the <c>Collector:Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Collector:Storage";

    /// <summary>
    /// Directory that holds <c>opsagent.db</c> and its write-ahead log; created when missing. Defaults to
    /// <c>Collector:DataDirectory</c>.
    /// </summary>
    public string DataDirectory { get; set; } = CollectorPaths.DefaultDataDirectory;

    /// <summary>How long raw samples are kept. Whole chunks older than this are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(15);

    /// <summary>How long 5-minute rollups (min, max, sum, count, last) are kept; at least <see cref="Retention"/>.</summary>
    public TimeSpan DownsampledRetention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>
    /// Time for one full checkpoint round: every open head is persisted once per round, after which the write-ahead
    /// records the round covers are deleted. Shorter means faster restarts and a smaller file, longer means less writing.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often retention, downsampling and idle-head closing run.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Batches waiting for the writer; when full, appends wait (backpressure to the agents).</summary>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>Most batches committed in one transaction (group commit).</summary>
    public int MaxBatchesPerCommit { get; set; } = 512;

    /// <summary>Most samples committed in one transaction.</summary>
    public int MaxSamplesPerCommit { get; set; } = 1_000_000;

    /// <summary>Samples after which an open chunk is closed and written; chunks never span a 2-hour window.</summary>
    public int MaxSamplesPerChunk { get; set; } = 480;

    /// <summary>Write-ahead bytes since the current checkpoint round began that force it to finish now.</summary>
    public long MaxWriteAheadBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// SQLite's <c>synchronous</c> setting: <c>Full</c> (default) makes every acknowledged batch survive power loss;
    /// <c>Normal</c> survives a process crash but may lose the last commits on power loss.
    /// </summary>
    public StorageSynchronousMode Synchronous { get; set; } = StorageSynchronousMode.Full;

    /// <summary>
    /// Series one agent may have. The store keeps every series in memory, so an agent that invents label values (a
    /// request id as a label, a hostile agent) would otherwise grow it without bound: new series beyond the limit are
    /// rejected in the ack ("series_limit") while the agent's existing series keep flowing. Series with no data left
    /// after <see cref="DownsampledRetention"/> stop counting.
    /// </summary>
    public int MaxSeriesPerAgent { get; set; } = 20_000;

    /// <summary>Capacity of the hand-off to each ingest observer; notifications beyond it are dropped and counted.</summary>
    public int ObserverQueueCapacity { get; set; } = 4096;

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDirectory), "opsagent.db");
}
