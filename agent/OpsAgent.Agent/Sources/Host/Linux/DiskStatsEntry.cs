namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>
/// One line of /proc/diskstats (Documentation/admin-guide/iostats.rst). Counters are cumulative since boot or since
/// the device appeared; sectors are 512-byte units whatever the device's own sector size; times are milliseconds.
/// </summary>
internal readonly ref struct DiskStatsEntry
{
    public uint Major { get; init; }

    public uint Minor { get; init; }

    /// <summary>Kernel name ("sda", "nvme0n1p1", "dm-0"); valid until the text it was read from changes.</summary>
    public ReadOnlySpan<char> Name { get; init; }

    public ulong ReadsCompleted { get; init; }

    public ulong SectorsRead { get; init; }

    public ulong ReadTimeMs { get; init; }

    public ulong WritesCompleted { get; init; }

    public ulong SectorsWritten { get; init; }

    public ulong WriteTimeMs { get; init; }

    /// <summary>Requests issued to the device and not completed yet: the only field that is not a counter.</summary>
    public ulong InProgress { get; init; }

    /// <summary>Time the device had at least one request in flight.</summary>
    public ulong IoTimeMs { get; init; }
}
