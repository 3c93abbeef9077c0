using System.Globalization;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace OpsAgent.Agent.Sources.Host.Windows;

/// <summary>Disk I/O per physical drive (IOCTL_DISK_PERFORMANCE on \\.\PhysicalDriveN).</summary>
/// <remarks>
/// Devices are labelled "PhysicalDrive0", .... The drive is opened without access rights (the IOCTL needs none)
/// and closed again each cycle, so the source holds no handles. Drives are looked for among the first 32 numbers
/// at start and every ten minutes. Windows keeps no busy-time counter here, so system.disk.io_time is not sent;
/// read and write counts are 32-bit counters that wrap, which the collector treats as resets.
/// </remarks>
[SupportedOSPlatform("windows")]
internal sealed unsafe class WindowsDiskCollector : IHostCollector
{
    private const int MaxDriveNumber = 32;
    private const double TicksPerSecond = 10_000_000; // 100 ns units
    private static readonly TimeSpan RediscoveryPeriod = TimeSpan.FromMinutes(10);

    private readonly NamePatterns _excluded;
    private readonly TimeProvider _time;
    private List<DriveSeries> _drives = [];
    private long _discoveredAt;
    private bool _discovered;

    public WindowsDiskCollector(NamePatterns excluded, TimeProvider time)
    {
        _excluded = excluded;
        _time = time;
    }

    public string Subsystem => "disks";

    public void Collect(MetricBuffer buffer)
    {
        if (!_discovered || _time.GetElapsedTime(_discoveredAt) >= RediscoveryPeriod)
        {
            Discover();
        }

        foreach (DriveSeries drive in _drives)
        {
            if (!TryQuery(drive.Path, out WindowsNative.DiskPerformance perf))
            {
                // Removed since discovery; the next discovery forgets it.
                continue;
            }

            buffer.Counter(HostMetricNames.DiskIo, HostMetricNames.UnitBytes, perf.BytesRead, drive.Read);
            buffer.Counter(HostMetricNames.DiskIo, HostMetricNames.UnitBytes, perf.BytesWritten, drive.Write);
            buffer.Counter(HostMetricNames.DiskOperations, HostMetricNames.UnitOperation, perf.ReadCount, drive.Read);
            buffer.Counter(HostMetricNames.DiskOperations, HostMetricNames.UnitOperation, perf.WriteCount, drive.Write);
            buffer.Counter(HostMetricNames.DiskOperationTime, HostMetricNames.UnitSeconds, perf.ReadTime / TicksPerSecond, drive.Read);
            buffer.Counter(HostMetricNames.DiskOperationTime, HostMetricNames.UnitSeconds, perf.WriteTime / TicksPerSecond, drive.Write);
            buffer.Gauge(HostMetricNames.DiskPendingOperations, HostMetricNames.UnitOperation, perf.QueueDepth, drive.Device);
        }
    }

    private void Discover()
    {
        var drives = new List<DriveSeries>();
        for (int n = 0; n < MaxDriveNumber; n++)
        {
            string name = "PhysicalDrive" + n.ToString(CultureInfo.InvariantCulture);
            string path = @"\\.\" + name;
            if (!_excluded.Matches(name) && TryQuery(path, out _))
            {
                drives.Add(new DriveSeries(name, path));
            }
        }

        _drives = drives;
        _discoveredAt = _time.GetTimestamp();
        _discovered = true;
    }

    private static bool TryQuery(string path, out WindowsNative.DiskPerformance perf)
    {
        perf = default;
        using SafeFileHandle handle = WindowsNative.CreateFile(path, 0, WindowsNative.FileShareReadWrite, 0, WindowsNative.OpenExisting, 0, 0);
        if (handle.IsInvalid)
        {
            return false;
        }

        fixed (WindowsNative.DiskPerformance* result = &perf)
        {
            return WindowsNative.DeviceIoControl(handle, WindowsNative.IoctlDiskPerformance, null, 0, result, (uint)sizeof(WindowsNative.DiskPerformance), out _, 0);
        }
    }

    private sealed class DriveSeries
    {
        public DriveSeries(string name, string path)
        {
            Path = path;
            Device = [new("device", name)];
            Read = [new("device", name), new("direction", "read")];
            Write = [new("device", name), new("direction", "write")];
        }

        public string Path { get; }

        public MetricLabel[] Device { get; }

        public MetricLabel[] Read { get; }

        public MetricLabel[] Write { get; }
    }
}
