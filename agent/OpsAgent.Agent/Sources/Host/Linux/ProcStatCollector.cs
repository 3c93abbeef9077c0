namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>
/// CPU time and utilisation (system.cpu.*) and the process counters (system.processes.*), which share /proc/stat.
/// </summary>
internal sealed class ProcStatCollector : IHostCollector
{
    // USER_HZ, the unit of /proc/stat: fixed at 100 by the kernel ABI on every architecture .NET runs on,
    // whatever the kernel's internal tick rate (CONFIG_HZ).
    private const double TicksPerSecond = 100.0;

    private static readonly MetricLabel[] Running = [new("status", "running")];
    private static readonly MetricLabel[] Blocked = [new("status", "blocked")];

    private readonly string _path;
    private readonly ProcFileReader _reader;
    private readonly bool _perCpu;
    private readonly ProcStat _stat = new();
    private readonly CpuUsageTracker _tracker = new();
    private readonly CpuLabels _labels = new();

    public ProcStatCollector(string procRoot, ProcFileReader reader, bool perCpu)
    {
        _path = Path.Combine(procRoot, "stat");
        _reader = reader;
        _perCpu = perCpu;
    }

    public string Subsystem => "cpu";

    public void Collect(MetricBuffer buffer)
    {
        ProcStatParser.Parse(_reader.ReadAll(_path), _stat);
        if (_stat.MalformedLines > 0)
        {
            buffer.ReportError(LinuxHostMetricSource.SourceName, $"cpu: skipped {_stat.MalformedLines} malformed line(s) of {_path}.");
        }

        Span<ulong> modes = stackalloc ulong[CpuLabels.States.Length];
        _tracker.BeginCycle();
        CpuTimes sum = default;
        int usable = 0;
        foreach (CpuReading cpu in _stat.Cpus)
        {
            if (_perCpu)
            {
                CpuLabels.Fill(cpu.Times, modes);
                MetricLabel[][] labels = _labels.CpuState(cpu.Id);
                for (int m = 0; m < modes.Length; m++)
                {
                    buffer.Counter(HostMetricNames.CpuTime, HostMetricNames.UnitSeconds, modes[m] / TicksPerSecond, labels[m]);
                }
            }

            if (_tracker.TryUpdate(cpu.Id, cpu.Times, out CpuTimes delta))
            {
                sum = sum.Plus(delta);
                usable++;
                if (_perCpu && Ratio.TryCompute(delta.Busy, delta.Total, out double busy))
                {
                    buffer.Gauge(HostMetricNames.CpuUtilization, HostMetricNames.UnitRatio, busy, _labels.Cpu(cpu.Id));
                }
            }
        }

        if (!_perCpu && _stat.AllCpus is CpuTimes all)
        {
            CpuLabels.Fill(all, modes);
            for (int m = 0; m < modes.Length; m++)
            {
                buffer.Counter(HostMetricNames.CpuTime, HostMetricNames.UnitSeconds, modes[m] / TicksPerSecond, _labels.StateOnly[m]);
            }
        }

        if (usable > 0)
        {
            CpuLabels.Fill(sum, modes);
            for (int m = 0; m < modes.Length; m++)
            {
                if (Ratio.TryCompute(modes[m], sum.Total, out double share))
                {
                    buffer.Gauge(HostMetricNames.CpuUtilization, HostMetricNames.UnitRatio, share, _labels.StateOnly[m]);
                }
            }

            if (Ratio.TryCompute(sum.Busy, sum.Total, out double busy))
            {
                buffer.Gauge(HostMetricNames.CpuUtilization, HostMetricNames.UnitRatio, busy);
            }
        }

        if (_stat.Cpus.Count > 0)
        {
            buffer.Gauge(HostMetricNames.CpuLogicalCount, HostMetricNames.UnitCpu, _stat.Cpus.Count);
        }

        if (_stat.ProcessesRunning is ulong running)
        {
            buffer.Gauge(HostMetricNames.ProcessesCount, HostMetricNames.UnitProcess, running, Running);
        }

        if (_stat.ProcessesBlocked is ulong blocked)
        {
            buffer.Gauge(HostMetricNames.ProcessesCount, HostMetricNames.UnitProcess, blocked, Blocked);
        }

        if (_stat.ProcessesCreated is ulong created)
        {
            buffer.Counter(HostMetricNames.ProcessesCreated, HostMetricNames.UnitProcess, created);
        }
    }
}
