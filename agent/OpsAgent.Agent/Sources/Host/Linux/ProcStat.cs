namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>What the host sources use from /proc/stat. Reused from cycle to cycle: <see cref="Clear"/> first.</summary>
internal sealed class ProcStat
{
    /// <summary>The kernel's all-CPU line ("cpu"); it also sums CPUs that are offline now.</summary>
    public CpuTimes? AllCpus { get; set; }

    /// <summary>One entry per online logical CPU ("cpuN"), in file order.</summary>
    public List<CpuReading> Cpus { get; } = new(capacity: 16);

    /// <summary>Forks since boot ("processes").</summary>
    public ulong? ProcessesCreated { get; set; }

    /// <summary>Tasks runnable now ("procs_running").</summary>
    public ulong? ProcessesRunning { get; set; }

    /// <summary>Tasks blocked on I/O now ("procs_blocked").</summary>
    public ulong? ProcessesBlocked { get; set; }

    /// <summary>Lines that looked like ones we read but could not be parsed; they were skipped.</summary>
    public int MalformedLines { get; set; }

    public void Clear()
    {
        AllCpus = null;
        Cpus.Clear();
        ProcessesCreated = null;
        ProcessesRunning = null;
        ProcessesBlocked = null;
        MalformedLines = 0;
    }
}

/// <summary>The cumulative times of logical CPU <paramref name="Id"/>.</summary>
internal readonly record struct CpuReading(int Id, CpuTimes Times);
