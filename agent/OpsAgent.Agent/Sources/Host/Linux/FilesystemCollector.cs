namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>
/// Usage and inodes of every real mounted filesystem (system.filesystem.*), from /proc/self/mountinfo and statvfs.
/// </summary>
internal sealed class FilesystemCollector : IHostCollector
{
    private readonly string _mountInfoPath;
    private readonly ProcFileReader _reader;
    private readonly MountSelector _selector;
    private readonly FilesystemProbe _probe;
    private readonly TimeSpan _timeout;
    private readonly HashSet<string> _reportedProblems = new(StringComparer.Ordinal);
    private char[] _lastMountInfo = [];
    private int _lastMountInfoLength = -1;
    private List<FilesystemSeries> _filesystems = [];
    private string[] _paths = [];
    private FilesystemQuery[] _results = [];

    public FilesystemCollector(string procRoot, ProcFileReader reader, MountSelector selector, FilesystemProbe probe, TimeSpan timeout)
    {
        _mountInfoPath = Path.Combine(procRoot, "self", "mountinfo");
        _reader = reader;
        _selector = selector;
        _probe = probe;
        _timeout = timeout;
    }

    public string Subsystem => "filesystems";

    public void Collect(MetricBuffer buffer)
    {
        ReadOnlySpan<char> mountInfo = _reader.ReadAll(_mountInfoPath);
        if (_lastMountInfoLength < 0 || !mountInfo.SequenceEqual(_lastMountInfo.AsSpan(0, _lastMountInfoLength)))
        {
            // Mounts change rarely; parse and select only when the file's content does.
            Reselect(mountInfo, buffer);
        }

        _probe.Query(_paths, _results);
        for (int i = 0; i < _filesystems.Count; i++)
        {
            FilesystemSeries fs = _filesystems[i];
            FilesystemQuery result = _results[i];
            switch (result.Status)
            {
                case FilesystemQueryStatus.Succeeded:
                    _reportedProblems.Remove(fs.MountPoint);
                    Emit(buffer, fs, result.Stats);
                    break;
                case FilesystemQueryStatus.Failed:
                    ReportOnce(buffer, fs.MountPoint, $"filesystems: cannot read the usage of {fs.MountPoint} ({fs.Type}): {result.Error?.Message}", result.Error);
                    break;
                case FilesystemQueryStatus.TimedOut:
                    ReportOnce(buffer, fs.MountPoint, $"filesystems: {fs.MountPoint} ({fs.Type} from {fs.Device}) did not answer within {_timeout.TotalMilliseconds:0} ms; it is skipped until it answers. A hung network mount? Check the server or unmount it.", null);
                    break;
                default:
                    // StillPending: reported when it timed out; its absence from the data shows the rest.
                    break;
            }
        }
    }

    /// <remarks>Runs only when the mount table changes, so its problems are reported once per change.</remarks>
    private void Reselect(ReadOnlySpan<char> mountInfo, MetricBuffer buffer)
    {
        List<MountInfo> mounts = MountInfoParser.Parse(mountInfo, out int malformed);
        if (malformed > 0)
        {
            buffer.ReportError(LinuxHostMetricSource.SourceName, $"filesystems: skipped {malformed} malformed line(s) of {_mountInfoPath}.");
        }

        List<MountInfo> selected = _selector.Select(mounts, out int overLimit);
        if (overLimit > 0)
        {
            buffer.ReportError(LinuxHostMetricSource.SourceName, $"filesystems: {overLimit} filesystem(s) beyond the first {selected.Count} (by mount point) are not reported; raise Agent:Metrics:Host:MaxFilesystems or exclude mount points with Agent:Metrics:Host:ExcludedMountPoints.");
        }

        _filesystems = selected.ConvertAll(static m => new FilesystemSeries(m));
        _paths = _filesystems.ConvertAll(static f => f.MountPoint).ToArray();
        _results = new FilesystemQuery[_paths.Length];
        _reportedProblems.IntersectWith(_paths);
        if (_lastMountInfo.Length < mountInfo.Length)
        {
            _lastMountInfo = new char[mountInfo.Length * 2];
        }

        mountInfo.CopyTo(_lastMountInfo);
        _lastMountInfoLength = mountInfo.Length;
    }

    private static void Emit(MetricBuffer buffer, FilesystemSeries fs, FilesystemStats stats)
    {
        if (stats.Blocks == 0)
        {
            // A filesystem without a size (some FUSE and virtual ones): there is no usage to speak of.
            return;
        }

        ulong blocksFree = Math.Min(stats.BlocksFree, stats.Blocks);
        ulong blocksAvailable = Math.Min(stats.BlocksAvailable, blocksFree);
        double size = (double)stats.BlockSize;
        double used = (stats.Blocks - blocksFree) * size;
        double free = blocksAvailable * size;
        double reserved = (blocksFree - blocksAvailable) * size;

        buffer.Gauge(HostMetricNames.FilesystemUsage, HostMetricNames.UnitBytes, used, fs.Used);
        buffer.Gauge(HostMetricNames.FilesystemUsage, HostMetricNames.UnitBytes, free, fs.Free);
        buffer.Gauge(HostMetricNames.FilesystemUsage, HostMetricNames.UnitBytes, reserved, fs.Reserved);
        buffer.Gauge(HostMetricNames.FilesystemLimit, HostMetricNames.UnitBytes, stats.Blocks * size, fs.Labels);

        // As df reports it: the blocks reserved for root count neither as used nor as available, so a
        // filesystem is 100 % full when an unprivileged process can no longer write to it.
        if (Ratio.TryCompute(used, used + free, out double utilization))
        {
            buffer.Gauge(HostMetricNames.FilesystemUtilization, HostMetricNames.UnitRatio, utilization, fs.Labels);
        }

        if (stats.Files > 0)
        {
            // Filesystems without a fixed inode table (btrfs, some network ones) report 0 inodes and are skipped.
            ulong filesFree = Math.Min(stats.FilesFree, stats.Files);
            ulong filesUsed = stats.Files - filesFree;
            buffer.Gauge(HostMetricNames.FilesystemInodesUsage, HostMetricNames.UnitInode, filesUsed, fs.Used);
            buffer.Gauge(HostMetricNames.FilesystemInodesUsage, HostMetricNames.UnitInode, filesFree, fs.Free);
            if (Ratio.TryCompute(filesUsed, stats.Files, out double inodeUtilization))
            {
                buffer.Gauge(HostMetricNames.FilesystemInodesUtilization, HostMetricNames.UnitRatio, inodeUtilization, fs.Labels);
            }
        }
    }

    private void ReportOnce(MetricBuffer buffer, string mountPoint, string what, Exception? error)
    {
        // A broken mount stays broken for a while; one report per episode is enough to act on.
        if (_reportedProblems.Add(mountPoint))
        {
            buffer.ReportError(LinuxHostMetricSource.SourceName, what, error);
        }
    }

    /// <summary>One reported filesystem with the label sets of its series, built once per mount.</summary>
    private sealed class FilesystemSeries
    {
        public FilesystemSeries(MountInfo mount)
        {
            MountPoint = mount.MountPoint;
            Type = mount.FsType;
            Device = mount.Source.Length > 0 ? mount.Source : mount.FsType;
            Labels =
            [
                new("device", Device),
                new("mountpoint", MountPoint),
                new("type", Type),
                new("mode", mount.ReadOnly ? "ro" : "rw"),
            ];
            Used = [.. Labels, new("state", "used")];
            Free = [.. Labels, new("state", "free")];
            Reserved = [.. Labels, new("state", "reserved")];
        }

        public string MountPoint { get; }

        public string Type { get; }

        public string Device { get; }

        public MetricLabel[] Labels { get; }

        public MetricLabel[] Used { get; }

        public MetricLabel[] Free { get; }

        public MetricLabel[] Reserved { get; }
    }
}
