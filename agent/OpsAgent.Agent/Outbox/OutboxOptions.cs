namespace OpsAgent.Agent.Outbox;

/// <summary>
/// Settings of the outbox (section <c>Agent:Outbox</c>): where unacknowledged batches wait, how much of the disk and
/// of memory they may use, and when they are forced to disk. Checked at start-up by <see cref="OutboxOptionsValidator"/>.
/// </summary>
internal sealed class OutboxOptions
{
    /// <summary><see cref="OutboxStorage.Disk"/> (default) survives restarts and crashes; <see cref="OutboxStorage.Memory"/> does not.</summary>
    public OutboxStorage Storage { get; set; } = OutboxStorage.Disk;

    /// <summary>
    /// Bytes the outbox's segment files may take in <c>StateDirectory/outbox</c>. When a new batch does not fit, the oldest
    /// segment of the lowest-priority lane is deleted and its unsent batches are counted as dropped.
    /// </summary>
    public long MaxDiskBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// Bytes of batches held in memory for sending (the disk outbox reads the rest back from its files when their turn
    /// comes, so memory stays flat however long the collector is away). For the memory outbox this is its whole bound.
    /// </summary>
    public long MaxMemoryBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>Size at which a segment file is closed and a new one started; at most an eighth of <see cref="MaxDiskBytes"/> is used.</summary>
    public long SegmentBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>When written batches are forced to stable storage (fsync); see <see cref="OutboxFsyncPolicy"/> for what each may lose.</summary>
    public OutboxFsyncPolicy Fsync { get; set; } = OutboxFsyncPolicy.Interval;

    /// <summary>Period of the group commit under <see cref="OutboxFsyncPolicy.Interval"/>, and of saving acknowledgements.</summary>
    public TimeSpan FsyncInterval { get; set; } = TimeSpan.FromSeconds(1);
}
