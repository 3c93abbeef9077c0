using System.Runtime.Versioning;

namespace OpsAgent.Agent.Sources.Host.Windows;

/// <summary>Host metrics of a Windows machine from Win32 and native APIs.</summary>
/// <remarks>
/// Sent: system.cpu.time/utilization/logical.count (states user, system, idle), system.memory.usage/utilization
/// (used, free) and limit, system.paging.usage/utilization (page files), system.filesystem.usage/utilization/limit
/// (fixed drives), system.disk.io/operations/operation_time/pending_operations, system.network.*,
/// system.process.count and system.uptime.
/// Not sent, because Windows has no equivalent or only through WMI or performance counters that cost far more than
/// the rest of the cycle: load averages, system.processes.count by status, system.processes.created, page faults
/// and swap operations, inode usage, system.disk.io_time, system.memory.linux.available and hw.temperature
/// (MSAcpi_ThermalZoneTemperature needs WMI and administrator rights and is missing or fixed on most hardware).
/// Unlike the Linux source, this one cannot be exercised on the build machines: it is kept small and plain.
/// </remarks>
[SupportedOSPlatform("windows")]
internal sealed class WindowsHostMetricSource : IMetricSource
{
    public const string SourceName = "windows.host";

    private readonly IHostCollector[] _collectors;

    public WindowsHostMetricSource(HostMetricsOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _collectors =
        [
            new WindowsCpuCollector(options.PerCpu),
            new WindowsMemoryCollector(),
            new WindowsSystemCollector(),
            new WindowsFilesystemCollector(
                new NamePatterns(options.ExcludedFilesystemTypes ?? []),
                new NamePatterns(options.ExcludedMountPoints ?? [])),
            new WindowsDiskCollector(new NamePatterns(options.ExcludedDiskDevices ?? []), timeProvider),
            new WindowsNetworkCollector(new NamePatterns(options.ExcludedNetworkInterfaces ?? [])),
        ];
    }

    public string Name => SourceName;

    public void Collect(MetricBuffer buffer) => HostCollectors.CollectAll(SourceName, _collectors, buffer);
}
