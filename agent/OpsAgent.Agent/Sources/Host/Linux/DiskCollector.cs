namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>Disk I/O per block device (system.disk.*) from /proc/diskstats.</summary>
/// <remarks>
/// Whole disks only, as iostat shows by default: a device is reported when it has a directory in /sys/block
/// (sda, nvme0n1, vda, and the stacked dm-N and mdN devices), so partitions, whose I/O is already in their disk's,
/// are not. Devices matching <see cref="HostMetricsOptions.ExcludedDiskDevices"/> (loop, ram, zram, fd by default)
/// and devices that have completed no I/O since boot (an empty card reader, unused nbd slots) are skipped.
/// </remarks>
internal sealed class DiskCollector : IHostCollector
{
    // /proc/diskstats counts in 512-byte sectors whatever the device's logical sector size.
    private const double BytesPerSector = 512;
    private const double MillisecondsPerSecond = 1000;

    private readonly string _path;
    private readonly string _sysBlock;
    private readonly ProcFileReader _reader;
    private readonly NamePatterns _excluded;
    private readonly NameCache<DiskSeries> _devices;

    public DiskCollector(string procRoot, string sysRoot, ProcFileReader reader, NamePatterns excluded)
    {
        _path = Path.Combine(procRoot, "diskstats");
        _sysBlock = Path.Combine(sysRoot, "block");
        _reader = reader;
        _excluded = excluded;
        _devices = new NameCache<DiskSeries>(name => IsReported(name) ? new DiskSeries(name) : null);
    }

    public string Subsystem => "disks";

    public void Collect(MetricBuffer buffer)
    {
        _devices.BeginCycle();
        var parser = new DiskStatsParser(_reader.ReadAll(_path));
        while (parser.TryRead(out DiskStatsEntry entry))
        {
            DiskSeries? disk = _devices.Get(entry.Name);
            if (disk is null || (entry.ReadsCompleted == 0 && entry.WritesCompleted == 0 && entry.InProgress == 0))
            {
                continue;
            }

            buffer.Counter(HostMetricNames.DiskIo, HostMetricNames.UnitBytes, entry.SectorsRead * BytesPerSector, disk.Read);
            buffer.Counter(HostMetricNames.DiskIo, HostMetricNames.UnitBytes, entry.SectorsWritten * BytesPerSector, disk.Write);
            buffer.Counter(HostMetricNames.DiskOperations, HostMetricNames.UnitOperation, entry.ReadsCompleted, disk.Read);
            buffer.Counter(HostMetricNames.DiskOperations, HostMetricNames.UnitOperation, entry.WritesCompleted, disk.Write);
            buffer.Counter(HostMetricNames.DiskOperationTime, HostMetricNames.UnitSeconds, entry.ReadTimeMs / MillisecondsPerSecond, disk.Read);
            buffer.Counter(HostMetricNames.DiskOperationTime, HostMetricNames.UnitSeconds, entry.WriteTimeMs / MillisecondsPerSecond, disk.Write);
            buffer.Counter(HostMetricNames.DiskIoTime, HostMetricNames.UnitSeconds, entry.IoTimeMs / MillisecondsPerSecond, disk.Device);
            buffer.Gauge(HostMetricNames.DiskPendingOperations, HostMetricNames.UnitOperation, entry.InProgress, disk.Device);
        }

        _devices.EndCycle();
        if (parser.MalformedLines > 0)
        {
            buffer.ReportError(LinuxHostMetricSource.SourceName, $"disks: skipped {parser.MalformedLines} malformed line(s) of {_path}.");
        }
    }

    private bool IsReported(string name)
    {
        if (_excluded.Matches(name))
        {
            return false;
        }

        // Without sysfs there is no telling partitions from disks; report every device rather than none.
        // In /sys/block a '/' in a kernel name (cciss/c0d0) is written as '!'.
        return !Directory.Exists(_sysBlock) || Directory.Exists(Path.Combine(_sysBlock, name.Replace('/', '!')));
    }

    private sealed class DiskSeries
    {
        public DiskSeries(string name)
        {
            Device = [new("device", name)];
            Read = [new("device", name), new("direction", "read")];
            Write = [new("device", name), new("direction", "write")];
        }

        public MetricLabel[] Device { get; }

        public MetricLabel[] Read { get; }

        public MetricLabel[] Write { get; }
    }
}
