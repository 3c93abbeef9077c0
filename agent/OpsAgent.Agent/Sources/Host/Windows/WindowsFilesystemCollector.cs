using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace OpsAgent.Agent.Sources.Host.Windows;

/// <summary>Usage of every fixed drive (GetDiskFreeSpaceEx, GetVolumeInformation).</summary>
/// <remarks>
/// Only fixed drives: network drives can block for as long as their server takes and belong to the user session
/// anyway, and removable ones come and go. Drives are labelled with their root ("C:\") as both device and
/// mountpoint. NTFS and ReFS have no fixed inode table, so no inode series are sent. "reserved" is the free space
/// that disk quotas keep from the agent's account (usually 0).
/// </remarks>
[SupportedOSPlatform("windows")]
internal sealed unsafe class WindowsFilesystemCollector : IHostCollector
{
    private readonly NamePatterns _excludedTypes;
    private readonly NamePatterns _excludedMountPoints;
    private readonly Dictionary<(string Root, string Type, bool ReadOnly), DriveSeries> _series = [];

    public WindowsFilesystemCollector(NamePatterns excludedTypes, NamePatterns excludedMountPoints)
    {
        _excludedTypes = excludedTypes;
        _excludedMountPoints = excludedMountPoints;
    }

    public string Subsystem => "filesystems";

    public void Collect(MetricBuffer buffer)
    {
        // MAX_PATH + 1, as GetVolumeInformation documents for the file system name buffer.
        Span<char> typeName = stackalloc char[261];
        foreach (DriveInfo drive in DriveInfo.GetDrives())
        {
            string root = drive.Name;
            if (drive.DriveType != DriveType.Fixed || _excludedMountPoints.Matches(root))
            {
                continue;
            }

            uint flags;
            fixed (char* type = typeName)
            {
                if (!WindowsNative.GetVolumeInformation(root, null, 0, out _, out _, out flags, type, (uint)typeName.Length))
                {
                    // Not ready (a BitLocker volume still locked, say): nothing to measure.
                    continue;
                }
            }

            string fsType = typeName[..Math.Max(0, typeName.IndexOf('\0'))].ToString();
            if (_excludedTypes.Matches(fsType))
            {
                continue;
            }

            if (!WindowsNative.GetDiskFreeSpaceEx(root, out ulong available, out ulong total, out ulong totalFree))
            {
                buffer.ReportError(WindowsHostMetricSource.SourceName, $"filesystems: GetDiskFreeSpaceEx({root}) failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
                continue;
            }

            bool readOnly = (flags & WindowsNative.FileReadOnlyVolume) != 0;
            if (!_series.TryGetValue((root, fsType, readOnly), out DriveSeries? series))
            {
                series = new DriveSeries(root, fsType, readOnly);
                _series[(root, fsType, readOnly)] = series;
            }

            totalFree = Math.Min(totalFree, total);
            available = Math.Min(available, totalFree);
            double used = total - totalFree;
            buffer.Gauge(HostMetricNames.FilesystemUsage, HostMetricNames.UnitBytes, used, series.Used);
            buffer.Gauge(HostMetricNames.FilesystemUsage, HostMetricNames.UnitBytes, available, series.Free);
            buffer.Gauge(HostMetricNames.FilesystemUsage, HostMetricNames.UnitBytes, totalFree - available, series.Reserved);
            buffer.Gauge(HostMetricNames.FilesystemLimit, HostMetricNames.UnitBytes, total, series.Labels);
            if (Ratio.TryCompute(used, used + available, out double utilization))
            {
                buffer.Gauge(HostMetricNames.FilesystemUtilization, HostMetricNames.UnitRatio, utilization, series.Labels);
            }
        }
    }

    private sealed class DriveSeries
    {
        public DriveSeries(string root, string type, bool readOnly)
        {
            Labels = [new("device", root), new("mountpoint", root), new("type", type), new("mode", readOnly ? "ro" : "rw")];
            Used = [.. Labels, new("state", "used")];
            Free = [.. Labels, new("state", "free")];
            Reserved = [.. Labels, new("state", "reserved")];
        }

        public MetricLabel[] Labels { get; }

        public MetricLabel[] Used { get; }

        public MetricLabel[] Free { get; }

        public MetricLabel[] Reserved { get; }
    }
}
