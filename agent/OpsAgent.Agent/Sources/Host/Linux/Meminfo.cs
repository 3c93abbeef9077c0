namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>The fields of /proc/meminfo the host sources use, in bytes; null when the kernel does not report one.</summary>
internal readonly record struct Meminfo
{
    public ulong? MemTotal { get; init; }

    public ulong? MemFree { get; init; }

    /// <summary>The kernel's estimate of memory available without swapping (Linux 3.14 and later).</summary>
    public ulong? MemAvailable { get; init; }

    public ulong? Buffers { get; init; }

    /// <summary>Page cache, including tmpfs and shared memory; excludes the swap cache and reclaimable slab.</summary>
    public ulong? Cached { get; init; }

    public ulong? SReclaimable { get; init; }

    public ulong? SUnreclaim { get; init; }

    public ulong? SwapTotal { get; init; }

    public ulong? SwapFree { get; init; }

    /// <summary>Lines of the fields above that could not be parsed; they were skipped.</summary>
    public int MalformedLines { get; init; }
}
