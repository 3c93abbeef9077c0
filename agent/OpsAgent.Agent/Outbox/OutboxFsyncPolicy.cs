namespace OpsAgent.Agent.Outbox;

/// <summary>
/// When the disk outbox forces what it wrote to stable storage (<c>Agent:Outbox:Fsync</c>).
/// </summary>
/// <remarks>
/// Every batch is written to its segment file with one write(2) before the source's enqueue returns, so under every
/// policy a crash of the agent process alone (SIGKILL, OOM kill, a bug) loses nothing that was enqueued: the data is in
/// the kernel's page cache and the kernel writes it out. What fsync adds is survival of a crash of the whole machine
/// (power loss, kernel panic, a hypervisor reset), which drops the page cache.
/// </remarks>
internal enum OutboxFsyncPolicy
{
    /// <summary>
    /// Group commit: every <c>FsyncInterval</c> (default 1 s) the files written since the last commit are fsynced. A machine
    /// crash loses at most the batches enqueued in the last interval plus the time one fsync takes.
    /// </summary>
    Interval,

    /// <summary>Each batch is fsynced before its enqueue returns: a machine crash loses nothing enqueued. Costs one fsync per batch.</summary>
    Always,

    /// <summary>
    /// The outbox never fsyncs; the kernel writes dirty pages back on its own schedule (on Linux by default pages older
    /// than 30 s, checked every 5 s, so typically the last ~35 s of batches are lost on a machine crash; there is no bound).
    /// </summary>
    Never,
}
