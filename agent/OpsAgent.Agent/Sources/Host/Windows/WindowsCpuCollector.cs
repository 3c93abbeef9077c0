using System.Runtime.Versioning;

namespace OpsAgent.Agent.Sources.Host.Windows;

/// <summary>CPU time and utilisation per logical CPU from NtQuerySystemInformation.</summary>
/// <remarks>
/// Windows accounts CPU time as user, kernel and idle only, so the states are user, system (kernel time minus
/// idle time; it includes interrupt and DPC time) and idle; nice, iowait, interrupt, softirq and steal do not
/// exist there. The call covers the processor group of the calling thread: on machines with more than 64
/// logical CPUs only that group's CPUs are reported.
/// </remarks>
[SupportedOSPlatform("windows")]
internal sealed unsafe class WindowsCpuCollector : IHostCollector
{
    private const double TicksPerSecond = 10_000_000; // 100 ns units
    private static readonly int[] ReportedStates = [0, 2, 3]; // user, system, idle in CpuLabels.States

    private readonly WindowsNative.ProcessorPerformanceInformation[] _processors =
        new WindowsNative.ProcessorPerformanceInformation[Math.Max(64, Environment.ProcessorCount)];

    private readonly CpuUsageTracker _tracker = new();
    private readonly CpuLabels _labels = new();
    private readonly bool _perCpu;

    public WindowsCpuCollector(bool perCpu)
    {
        _perCpu = perCpu;
    }

    public string Subsystem => "cpu";

    public void Collect(MetricBuffer buffer)
    {
        int count = QueryProcessors();
        Span<ulong> modes = stackalloc ulong[CpuLabels.States.Length];
        _tracker.BeginCycle();
        CpuTimes sum = default;
        CpuTimes all = default;
        int usable = 0;
        for (int id = 0; id < count; id++)
        {
            WindowsNative.ProcessorPerformanceInformation p = _processors[id];
            ulong idle = (ulong)Math.Max(0, p.IdleTime);
            ulong kernel = (ulong)Math.Max(0, p.KernelTime);
            var times = new CpuTimes(
                User: (ulong)Math.Max(0, p.UserTime),
                Nice: 0,
                System: kernel > idle ? kernel - idle : 0,
                Idle: idle,
                IoWait: 0,
                Irq: 0,
                SoftIrq: 0,
                Steal: 0);
            all = all.Plus(times);

            if (_perCpu)
            {
                CpuLabels.Fill(times, modes);
                MetricLabel[][] labels = _labels.CpuState(id);
                foreach (int m in ReportedStates)
                {
                    buffer.Counter(HostMetricNames.CpuTime, HostMetricNames.UnitSeconds, modes[m] / TicksPerSecond, labels[m]);
                }
            }

            if (_tracker.TryUpdate(id, times, out CpuTimes delta))
            {
                sum = sum.Plus(delta);
                usable++;
                if (_perCpu && Ratio.TryCompute(delta.Busy, delta.Total, out double busy))
                {
                    buffer.Gauge(HostMetricNames.CpuUtilization, HostMetricNames.UnitRatio, busy, _labels.Cpu(id));
                }
            }
        }

        if (!_perCpu)
        {
            CpuLabels.Fill(all, modes);
            foreach (int m in ReportedStates)
            {
                buffer.Counter(HostMetricNames.CpuTime, HostMetricNames.UnitSeconds, modes[m] / TicksPerSecond, _labels.StateOnly[m]);
            }
        }

        if (usable > 0)
        {
            CpuLabels.Fill(sum, modes);
            foreach (int m in ReportedStates)
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

        buffer.Gauge(HostMetricNames.CpuLogicalCount, HostMetricNames.UnitCpu, count);
    }

    private int QueryProcessors()
    {
        uint size = (uint)(_processors.Length * sizeof(WindowsNative.ProcessorPerformanceInformation));
        uint returned;
        int status;
        fixed (WindowsNative.ProcessorPerformanceInformation* first = _processors)
        {
            status = WindowsNative.NtQuerySystemInformation(WindowsNative.SystemProcessorPerformanceInformation, first, size, out returned);
        }

        if (status != WindowsNative.StatusSuccess)
        {
            throw new InvalidOperationException($"NtQuerySystemInformation(SystemProcessorPerformanceInformation) failed with NTSTATUS 0x{status:X8}.");
        }

        return (int)(returned / (uint)sizeof(WindowsNative.ProcessorPerformanceInformation));
    }
}
