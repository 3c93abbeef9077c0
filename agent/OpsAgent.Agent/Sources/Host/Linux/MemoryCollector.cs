namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>Memory and swap (system.memory.*, system.paging.usage/utilization) from /proc/meminfo.</summary>
/// <remarks>
/// The memory states partition MemTotal, so their usages add up to the limit and their utilisations to 1:
/// free (MemFree), buffered (Buffers), cached (Cached: page cache, tmpfs included), slab_reclaimable,
/// slab_unreclaimable, and used = everything else (process memory, kernel stacks, page tables, ...).
/// free(1)'s "used" is this used plus slab_unreclaimable. MemAvailable, the kernel's estimate of what can be
/// allocated without swapping, is system.memory.linux.available.
///
/// A host without swap reports system.paging.usage used=0 and free=0 (that is the truth: no swap bytes) and no
/// system.paging.utilization, because a share of nothing is undefined; a constant 0 would claim a measurement.
/// </remarks>
internal sealed class MemoryCollector : IHostCollector
{
    private static readonly MetricLabel[] Used = [new("state", "used")];
    private static readonly MetricLabel[] Free = [new("state", "free")];
    private static readonly MetricLabel[] Buffered = [new("state", "buffered")];
    private static readonly MetricLabel[] Cached = [new("state", "cached")];
    private static readonly MetricLabel[] SlabReclaimable = [new("state", "slab_reclaimable")];
    private static readonly MetricLabel[] SlabUnreclaimable = [new("state", "slab_unreclaimable")];

    private readonly string _path;
    private readonly ProcFileReader _reader;

    public MemoryCollector(string procRoot, ProcFileReader reader)
    {
        _path = Path.Combine(procRoot, "meminfo");
        _reader = reader;
    }

    public string Subsystem => "memory";

    public void Collect(MetricBuffer buffer)
    {
        Meminfo info = MeminfoParser.Parse(_reader.ReadAll(_path));
        if (info.MalformedLines > 0)
        {
            buffer.ReportError(LinuxHostMetricSource.SourceName, $"memory: skipped {info.MalformedLines} malformed line(s) of {_path}.");
        }

        if (info.MemTotal is not ulong total || total == 0 || info.MemFree is not ulong free)
        {
            throw new InvalidDataException($"{_path} has no usable MemTotal and MemFree lines.");
        }

        ulong buffers = info.Buffers ?? 0;
        ulong cached = info.Cached ?? 0;
        ulong slabReclaimable = info.SReclaimable ?? 0;
        ulong slabUnreclaimable = info.SUnreclaim ?? 0;
        ulong accounted = free + buffers + cached + slabReclaimable + slabUnreclaimable;
        ulong used = total > accounted ? total - accounted : 0;

        EmitState(buffer, used, total, Used);
        EmitState(buffer, free, total, Free);
        EmitState(buffer, buffers, total, Buffered);
        EmitState(buffer, cached, total, Cached);
        EmitState(buffer, slabReclaimable, total, SlabReclaimable);
        EmitState(buffer, slabUnreclaimable, total, SlabUnreclaimable);
        buffer.Gauge(HostMetricNames.MemoryLimit, HostMetricNames.UnitBytes, total);
        if (info.MemAvailable is ulong available)
        {
            buffer.Gauge(HostMetricNames.MemoryLinuxAvailable, HostMetricNames.UnitBytes, available);
        }

        if (info.SwapTotal is ulong swapTotal && info.SwapFree is ulong swapFree)
        {
            swapFree = Math.Min(swapFree, swapTotal);
            ulong swapUsed = swapTotal - swapFree;
            buffer.Gauge(HostMetricNames.PagingUsage, HostMetricNames.UnitBytes, swapUsed, Used);
            buffer.Gauge(HostMetricNames.PagingUsage, HostMetricNames.UnitBytes, swapFree, Free);
            if (Ratio.TryCompute(swapUsed, swapTotal, out double usedShare) && Ratio.TryCompute(swapFree, swapTotal, out double freeShare))
            {
                buffer.Gauge(HostMetricNames.PagingUtilization, HostMetricNames.UnitRatio, usedShare, Used);
                buffer.Gauge(HostMetricNames.PagingUtilization, HostMetricNames.UnitRatio, freeShare, Free);
            }
        }
    }

    private static void EmitState(MetricBuffer buffer, ulong bytes, ulong total, MetricLabel[] state)
    {
        buffer.Gauge(HostMetricNames.MemoryUsage, HostMetricNames.UnitBytes, bytes, state);
        if (Ratio.TryCompute(bytes, total, out double share))
        {
            buffer.Gauge(HostMetricNames.MemoryUtilization, HostMetricNames.UnitRatio, share, state);
        }
    }
}
