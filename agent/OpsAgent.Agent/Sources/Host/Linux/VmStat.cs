namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>The paging counters of /proc/vmstat the host sources use; null when the kernel does not report one.</summary>
internal readonly record struct VmStat
{
    /// <summary>Page faults of every kind since boot ("pgfault"), major ones included.</summary>
    public ulong? PageFaults { get; init; }

    /// <summary>Page faults that needed I/O ("pgmajfault").</summary>
    public ulong? MajorPageFaults { get; init; }

    /// <summary>Pages swapped in from swap space ("pswpin").</summary>
    public ulong? SwapIns { get; init; }

    /// <summary>Pages swapped out to swap space ("pswpout").</summary>
    public ulong? SwapOuts { get; init; }

    public int MalformedLines { get; init; }
}
