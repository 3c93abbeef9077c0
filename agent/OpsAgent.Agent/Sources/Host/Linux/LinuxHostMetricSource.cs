namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>Host metrics of a Linux machine from procfs, sysfs and statvfs.</summary>
/// <remarks>
/// Each subsystem (CPU, memory, filesystems, ...) is collected independently: a file that cannot be read costs
/// that subsystem's samples for the cycle and is reported through <see cref="MetricBuffer.ReportError"/>.
/// Files are read with reused buffers and parsed as spans; label sets are built once per CPU, device, interface
/// and filesystem; mounts are re-parsed only when /proc/self/mountinfo changes.
/// </remarks>
internal sealed class LinuxHostMetricSource : IMetricSource
{
    public const string SourceName = "linux.host";

    private readonly IHostCollector[] _collectors;

    public LinuxHostMetricSource(HostMetricsOptions options, TimeProvider timeProvider)
        : this(options, timeProvider, StatVfs.Query)
    {
    }

    /// <param name="queryFilesystem">statvfs, or a stand-in for tests (a filesystem that hangs, say).</param>
    internal LinuxHostMetricSource(HostMetricsOptions options, TimeProvider timeProvider, Func<string, FilesystemStats> queryFilesystem)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(queryFilesystem);

        var reader = new ProcFileReader();
        string proc = options.ProcRoot;
        string sys = options.SysRoot;
        var mounts = new MountSelector(
            Patterns(options.ExcludedFilesystemTypes, HostMetricsOptions.DefaultExcludedFilesystemTypes),
            Patterns(options.ExcludedMountPoints, HostMetricsOptions.DefaultExcludedMountPoints),
            options.MaxFilesystems);

        var collectors = new List<IHostCollector>
        {
            new ProcStatCollector(proc, reader, options.PerCpu),
            new LoadAverageCollector(proc, reader),
            new MemoryCollector(proc, reader),
            new VmStatCollector(proc, reader),
            new FilesystemCollector(proc, reader, mounts, new FilesystemProbe(queryFilesystem, options.FilesystemTimeout), options.FilesystemTimeout),
            new DiskCollector(proc, sys, reader, Patterns(options.ExcludedDiskDevices, HostMetricsOptions.DefaultExcludedDiskDevices)),
            new NetworkCollector(proc, reader, Patterns(options.ExcludedNetworkInterfaces, HostMetricsOptions.DefaultExcludedNetworkInterfaces)),
            new ProcessCountCollector(proc),
            new UptimeCollector(proc, reader),
        };
        if (options.Temperatures)
        {
            collectors.Add(new TemperatureCollector(sys, reader, timeProvider));
        }

        _collectors = [.. collectors];
    }

    public string Name => SourceName;

    public void Collect(MetricBuffer buffer) => HostCollectors.CollectAll(SourceName, _collectors, buffer);

    private static NamePatterns Patterns(IList<string>? configured, IReadOnlyList<string> defaults) =>
        new(configured ?? (IEnumerable<string>)defaults);
}
