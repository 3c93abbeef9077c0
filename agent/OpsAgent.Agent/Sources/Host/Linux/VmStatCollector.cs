namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>Page faults and swap traffic (system.paging.faults, system.paging.operations) from /proc/vmstat.</summary>
internal sealed class VmStatCollector : IHostCollector
{
    private static readonly MetricLabel[] Minor = [new("type", "minor")];
    private static readonly MetricLabel[] Major = [new("type", "major")];
    private static readonly MetricLabel[] In = [new("direction", "in")];
    private static readonly MetricLabel[] Out = [new("direction", "out")];

    private readonly string _path;
    private readonly ProcFileReader _reader;

    public VmStatCollector(string procRoot, ProcFileReader reader)
    {
        _path = Path.Combine(procRoot, "vmstat");
        _reader = reader;
    }

    public string Subsystem => "paging";

    public void Collect(MetricBuffer buffer)
    {
        VmStat stat = VmStatParser.Parse(_reader.ReadAll(_path));
        if (stat.MalformedLines > 0)
        {
            buffer.ReportError(LinuxHostMetricSource.SourceName, $"paging: skipped {stat.MalformedLines} malformed line(s) of {_path}.");
        }

        if (stat.PageFaults is ulong all && stat.MajorPageFaults is ulong major)
        {
            // pgfault counts every fault, major ones included; both only grow, so their difference does too.
            buffer.Counter(HostMetricNames.PagingFaults, HostMetricNames.UnitFault, all >= major ? all - major : 0, Minor);
            buffer.Counter(HostMetricNames.PagingFaults, HostMetricNames.UnitFault, major, Major);
        }

        // Pages moved to and from swap space; the page cache's reads and writes are in system.disk.io.
        if (stat.SwapIns is ulong swapIns)
        {
            buffer.Counter(HostMetricNames.PagingOperations, HostMetricNames.UnitOperation, swapIns, In);
        }

        if (stat.SwapOuts is ulong swapOuts)
        {
            buffer.Counter(HostMetricNames.PagingOperations, HostMetricNames.UnitOperation, swapOuts, Out);
        }
    }
}
