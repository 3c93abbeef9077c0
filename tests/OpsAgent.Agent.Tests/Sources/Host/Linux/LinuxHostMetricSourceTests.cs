using OpsAgent.Agent.Sources;
using OpsAgent.Agent.Sources.Host;
using OpsAgent.Agent.Sources.Host.Linux;
using OpsAgent.Agent.Tests.Sources.Host.TestSupport;
using OpsAgent.Protocol;
using static OpsAgent.Agent.Sources.Host.HostMetricNames;

namespace OpsAgent.Agent.Tests.Sources.Host.Linux;

public sealed class LinuxHostMetricSourceTests
{
    // 1000 blocks of 4 KiB: 400 free of which 300 available to users; 100 inodes, 60 free.
    private static readonly FilesystemStats FakeStats = new(4096, 1000, 400, 300, 100, 60);

    [Fact]
    public void Collect_CapturedVm_EmitsTheCoreSeriesFromTheFixtureFiles()
    {
        var source = CreateSource(FixtureFiles.PathOf("Linux/captured-vm"));

        MetricBuffer buffer = Collect(source);

        Assert.Empty(buffer.Errors);
        buffer.AssertUniqueSeries();
        Assert.Equal(391.08, buffer.Value(CpuTime, "cpu=0", "state=user"));
        Assert.Equal(MetricKind.Counter, buffer.Kind(CpuTime, "cpu=0", "state=user"));
        Assert.Equal(16, buffer.All(CpuTime).Count);
        Assert.Empty(buffer.All(CpuUtilization)); // the first cycle has nothing to compare with
        Assert.Equal(2, buffer.Value(CpuLogicalCount));
        Assert.Equal(6.58, buffer.Value(LoadAverage1m));
        Assert.Equal(1.75, buffer.Value(LoadAverage15m));
        Assert.Equal(24684096.0 * 1024, buffer.Value(MemoryLimit));
        Assert.Equal(["buffered", "cached", "free", "slab_reclaimable", "slab_unreclaimable", "used"], buffer.LabelValues(MemoryUsage, "state"));
        Assert.True(buffer.Value(MemoryLinuxAvailable) > 0);
        Assert.Equal(2271, buffer.Value(PagingFaults, "type=major"));
        Assert.Equal(9655189 - 2271, buffer.Value(PagingFaults, "type=minor"));
        Assert.Equal(3, buffer.Value(ProcessCount));
        Assert.Equal(3, buffer.Value(ProcessesCount, "status=running"));
        Assert.True(buffer.Value(Uptime) > 0);
        Assert.Equal(["vda"], buffer.LabelValues(DiskIo, "device"));
        Assert.Equal(["eth0"], buffer.LabelValues(NetworkIo, "device"));
        Assert.Equal(["/", "/mnt/sandboxing/model_tools_env/v1/python"], buffer.LabelValues(FilesystemUsage, "mountpoint"));
        Assert.Empty(buffer.All(Temperature));
    }

    [Fact]
    public void Collect_HostWithoutSwap_ReportsZeroSwapAndNoUtilization()
    {
        MetricBuffer buffer = Collect(CreateSource(FixtureFiles.PathOf("Linux/captured-vm")));

        Assert.Equal(0, buffer.Value(PagingUsage, "state=used"));
        Assert.Equal(0, buffer.Value(PagingUsage, "state=free"));
        Assert.Empty(buffer.All(PagingUtilization));
        Assert.DoesNotContain(buffer.Samples, s => double.IsNaN(s.Value));
    }

    [Fact]
    public void Collect_HostWithSwap_MemoryStatesAddUpToTheLimitAndSwapHasUtilization()
    {
        using TempTree tree = TempTree.CopyOf("Linux/captured-vm");
        tree.WriteFixture("proc/meminfo", "Linux/meminfo/with-swap.txt");

        MetricBuffer buffer = Collect(CreateSource(tree.Root));

        double limit = buffer.Value(MemoryLimit);
        Assert.Equal(16318480.0 * 1024, limit);
        Assert.Equal(limit, buffer.All(MemoryUsage).Sum(s => s.Value));
        Assert.Equal(1.0, buffer.All(MemoryUtilization).Sum(s => s.Value), precision: 3);
        // used = total - free - buffers - cached - slab (KiB): 16318480 - 512340 - 421560 - 5012344 - 600000 - 250000
        Assert.Equal(9522236.0 * 1024, buffer.Value(MemoryUsage, "state=used"));
        Assert.Equal(0.5835, buffer.Value(MemoryUtilization, "state=used"));
        Assert.Equal(2097152.0 * 1024, buffer.Value(PagingUsage, "state=used"));
        Assert.Equal(0.25, buffer.Value(PagingUtilization, "state=used"));
        Assert.Equal(0.75, buffer.Value(PagingUtilization, "state=free"));
    }

    [Fact]
    public void Collect_MeminfoCachedAboveTotal_ClampsUsedAtZero()
    {
        using TempTree tree = TempTree.CopyOf("Linux/captured-vm");
        tree.WriteFixture("proc/meminfo", "Linux/meminfo/inconsistent-container.txt");

        MetricBuffer buffer = Collect(CreateSource(tree.Root));

        Assert.Equal(0, buffer.Value(MemoryUsage, "state=used"));
        Assert.All(buffer.All(MemoryUtilization), s => Assert.InRange(s.Value, 0, 1));
    }

    [Fact]
    public void Collect_CpuGoesOfflineAndComesBack_NeverEmitsUtilizationOutsideZeroToOne()
    {
        using TempTree tree = TempTree.CopyOf("Linux/captured-vm");
        var source = CreateSource(tree.Root);

        tree.WriteFixture("proc/stat", "Linux/stat/four-cpus-cycle1.txt");
        MetricBuffer first = Collect(source);
        tree.WriteFixture("proc/stat", "Linux/stat/four-cpus-cycle2-cpu2-offline.txt");
        MetricBuffer offline = Collect(source);
        tree.WriteFixture("proc/stat", "Linux/stat/four-cpus-cycle3-cpu2-back.txt");
        MetricBuffer back = Collect(source);
        tree.WriteFixture("proc/stat", "Linux/stat/four-cpus-cycle4.txt");
        MetricBuffer settled = Collect(source);

        Assert.Empty(first.All(CpuUtilization));

        // cpu2 is gone: no series for it; the all-CPU figures come from the three CPUs that stayed online,
        // not from the kernel's all-CPU line, whose idle jumped by 2000 ticks.
        Assert.Equal(["0", "1", "3"], offline.LabelValues(CpuUtilization, "cpu"));
        Assert.Equal(0.65, offline.Value(CpuUtilization));
        Assert.Equal(0.5, offline.Value(CpuUtilization, "state=user"));
        Assert.Equal(0.35, offline.Value(CpuUtilization, "state=idle"));
        Assert.Equal(3, offline.Value(CpuLogicalCount));
        Assert.Empty(offline.Find(CpuTime, "cpu=2", "state=user"));

        // cpu2 is back with stale counters: its time series resumes, its utilisation waits a cycle.
        Assert.Equal(["0", "1", "3"], back.LabelValues(CpuUtilization, "cpu"));
        Assert.Equal(100.0, back.Value(CpuTime, "cpu=2", "state=user"));
        Assert.Equal(0.65, back.Value(CpuUtilization));

        Assert.Equal(["0", "1", "2", "3"], settled.LabelValues(CpuUtilization, "cpu"));
        Assert.Equal(0.8065, settled.Value(CpuUtilization, "cpu=2"));
        Assert.Equal(0.6452, settled.Value(CpuUtilization, "state=user"));

        foreach (MetricBuffer buffer in new[] { first, offline, back, settled })
        {
            Assert.All(buffer.All(CpuUtilization), s => Assert.InRange(s.Value, 0, 1));
            buffer.AssertUniqueSeries();
        }
    }

    [Fact]
    public void Collect_IowaitGoesBackwardsOnOneCpu_SkipsThatCpuForTheCycle()
    {
        using TempTree tree = TempTree.CopyOf("Linux/captured-vm");
        var source = CreateSource(tree.Root);
        tree.WriteFixture("proc/stat", "Linux/stat/two-cpus-iowait-cycle1.txt");
        Collect(source);
        tree.WriteFixture("proc/stat", "Linux/stat/two-cpus-iowait-cycle2-backwards.txt");

        MetricBuffer buffer = Collect(source);

        Assert.Equal(["1"], buffer.LabelValues(CpuUtilization, "cpu"));
        Assert.Equal(0.3333, buffer.Value(CpuUtilization, "cpu=1"));
        Assert.Equal(0.3333, buffer.Value(CpuUtilization));
        Assert.Equal(0.25, buffer.Value(CpuUtilization, "state=user"));
        Assert.Equal(0, buffer.Value(CpuUtilization, "state=iowait"));
        Assert.Single(buffer.Find(CpuUtilization));
        Assert.Equal(1.0, CpuUtilizationByState(buffer).Sum(), precision: 3);
    }

    [Fact]
    public void Collect_PerCpuDisabled_SendsOnlyAllCpuSeries()
    {
        using TempTree tree = TempTree.CopyOf("Linux/captured-vm");
        var source = CreateSource(tree.Root, o => o.PerCpu = false);
        tree.WriteFixture("proc/stat", "Linux/stat/four-cpus-cycle1.txt");
        Collect(source);
        tree.WriteFixture("proc/stat", "Linux/stat/four-cpus-cycle4.txt");

        MetricBuffer buffer = Collect(source);

        Assert.Empty(buffer.LabelValues(CpuTime, "cpu"));
        Assert.Empty(buffer.LabelValues(CpuUtilization, "cpu"));
        Assert.Equal(407.0, buffer.Value(CpuTime, "state=user"));
        Assert.Equal(8, CpuUtilizationByState(buffer).Count);
    }

    [Fact]
    public void Collect_MalformedLines_ReportsThemAndKeepsTheGoodOnes()
    {
        using TempTree tree = TempTree.CopyOf("Linux/captured-vm");
        tree.WriteFixture("proc/stat", "Linux/stat/malformed.txt");
        tree.WriteFixture("proc/diskstats", "Linux/diskstats/malformed.txt");
        tree.WriteFixture("proc/net/dev", "Linux/netdev/malformed.txt");
        tree.WriteFixture("proc/self/mountinfo", "Linux/mountinfo/malformed.txt");
        tree.WriteFixture("proc/meminfo", "Linux/meminfo/malformed.txt");

        MetricBuffer buffer = Collect(CreateSource(tree.Root));

        string[] errors = buffer.Errors.Select(e => e.What).ToArray();
        Assert.Contains(errors, e => e.StartsWith("cpu: skipped 6 malformed", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("disks: skipped 4 malformed", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("network: skipped 4 malformed", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("filesystems: skipped 6 malformed", StringComparison.Ordinal));
        // MemFree is unreadable: without it there is no memory breakdown at all.
        Assert.Contains(errors, e => e.StartsWith("memory: ", StringComparison.Ordinal) && e.Contains("MemFree", StringComparison.Ordinal));
        Assert.Equal(["0", "3"], buffer.LabelValues(CpuTime, "cpu"));
        Assert.Equal(["eth0", "eth3"], buffer.LabelValues(NetworkIo, "device"));
        Assert.Equal(["/", "/good"], buffer.LabelValues(FilesystemUsage, "mountpoint"));
        Assert.Empty(buffer.All(MemoryUsage));
        Assert.NotEmpty(buffer.All(Uptime));
    }

    [Fact]
    public void Collect_MissingFiles_ReportsEachSubsystemAndCollectsTheOthers()
    {
        using TempTree tree = TempTree.CopyOf("Linux/captured-vm");
        tree.Delete("proc/meminfo");
        tree.Delete("proc/diskstats");
        tree.Delete("proc/net");
        tree.Delete("sys");

        MetricBuffer buffer = Collect(CreateSource(tree.Root));

        Assert.Equal(["disks", "memory", "network"], buffer.Errors.Select(e => e.What.Split(':')[0]).Order(StringComparer.Ordinal));
        Assert.All(buffer.Errors, e => Assert.Equal(LinuxHostMetricSource.SourceName, e.Source));
        Assert.Contains("meminfo", buffer.Errors.Single(e => e.What.StartsWith("memory", StringComparison.Ordinal)).What, StringComparison.Ordinal);
        Assert.NotEmpty(buffer.All(CpuTime));
        Assert.NotEmpty(buffer.All(FilesystemUsage));
        Assert.NotEmpty(buffer.All(Uptime));
    }

    [Fact]
    public void Collect_Filesystems_SplitsUsageLikeDf()
    {
        MetricBuffer buffer = Collect(CreateSource(FixtureFiles.PathOf("Linux/captured-vm")));

        string[] root = ["device=/dev/vda", "mountpoint=/", "type=ext4", "mode=rw"];
        Assert.Equal(600.0 * 4096, buffer.Value(FilesystemUsage, [.. root, "state=used"]));
        Assert.Equal(300.0 * 4096, buffer.Value(FilesystemUsage, [.. root, "state=free"]));
        Assert.Equal(100.0 * 4096, buffer.Value(FilesystemUsage, [.. root, "state=reserved"]));
        Assert.Equal(1000.0 * 4096, buffer.Value(FilesystemLimit, root));
        Assert.Equal(0.6667, buffer.Value(FilesystemUtilization, root));
        Assert.Equal(40, buffer.Value(FilesystemInodesUsage, [.. root, "state=used"]));
        Assert.Equal(60, buffer.Value(FilesystemInodesUsage, [.. root, "state=free"]));
        Assert.Equal(0.4, buffer.Value(FilesystemInodesUtilization, root));
        Assert.Equal(
            ["ro"],
            buffer.All(FilesystemUtilization)
                .Where(s => s.Labels.Contains(new MetricLabel("mountpoint", "/mnt/sandboxing/model_tools_env/v1/python")))
                .SelectMany(s => s.Labels).Where(l => l.Key == "mode").Select(l => l.Value));
    }

    [Fact]
    public void Collect_FilesystemWithoutInodesOrSize_SkipsWhatIsUndefined()
    {
        var source = CreateSource(
            FixtureFiles.PathOf("Linux/captured-vm"),
            queryFilesystem: path => path == "/" ? FakeStats with { Files = 0, FilesFree = 0 } : FakeStats with { Blocks = 0 });

        MetricBuffer buffer = Collect(source);

        Assert.Equal(["/"], buffer.LabelValues(FilesystemUsage, "mountpoint"));
        Assert.Empty(buffer.All(FilesystemInodesUsage));
        Assert.Empty(buffer.All(FilesystemInodesUtilization));
    }

    [Fact]
    public void Collect_HungFilesystem_SkipsItReportsItOnceAndKeepsCollecting()
    {
        using var release = new ManualResetEventSlim();
        const string Hung = "/mnt/sandboxing/model_tools_env/v1/python";
        try
        {
            var source = CreateSource(
                FixtureFiles.PathOf("Linux/captured-vm"),
                o => o.FilesystemTimeout = TimeSpan.FromMilliseconds(500),
                path =>
                {
                    if (path == Hung)
                    {
                        release.Wait(TimeSpan.FromSeconds(30));
                    }

                    return FakeStats;
                });

            MetricBuffer first = Collect(source);
            MetricBuffer second = Collect(source);

            Assert.Equal(["/"], first.LabelValues(FilesystemUsage, "mountpoint"));
            SourceError error = Assert.Single(first.Errors);
            Assert.Contains(Hung, error.What, StringComparison.Ordinal);
            Assert.Contains("did not answer within 500 ms", error.What, StringComparison.Ordinal);
            Assert.Equal(["/"], second.LabelValues(FilesystemUsage, "mountpoint"));
            Assert.Empty(second.Errors);
            Assert.NotEmpty(second.All(CpuTime));
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public void Collect_FilesystemQueryFails_ReportsItOncePerEpisode()
    {
        bool failing = true;
        var source = CreateSource(
            FixtureFiles.PathOf("Linux/captured-vm"),
            queryFilesystem: path => failing && path == "/" ? throw new IOException("statvfs(/) failed: Permission denied (errno 13).") : FakeStats);

        MetricBuffer first = Collect(source);
        MetricBuffer second = Collect(source);
        failing = false;
        MetricBuffer recovered = Collect(source);
        failing = true;
        MetricBuffer again = Collect(source);

        Assert.Contains("Permission denied", Assert.Single(first.Errors).What, StringComparison.Ordinal);
        Assert.Empty(second.Errors);
        Assert.Contains("/", recovered.LabelValues(FilesystemUsage, "mountpoint"));
        Assert.Single(again.Errors);
    }

    [Fact]
    public void Collect_MountsChange_FollowsTheNewMountTable()
    {
        using TempTree tree = TempTree.CopyOf("Linux/captured-vm");
        var source = CreateSource(tree.Root);
        Collect(source);
        tree.WriteFixture("proc/self/mountinfo", "Linux/mountinfo/docker-host.txt");

        MetricBuffer buffer = Collect(source);

        Assert.Equal(
            ["/", "/boot/efi", "/data", "/mnt/backup", "/run", "/run/lock", "/run/user/1000", "/var/lib/docker"],
            buffer.LabelValues(FilesystemUsage, "mountpoint"));
        buffer.AssertUniqueSeries();
    }

    [Fact]
    public void Collect_TooManyFilesystems_ReportsTheLimitAndTheKeyToRaiseIt()
    {
        using TempTree tree = TempTree.CopyOf("Linux/captured-vm");
        tree.WriteFixture("proc/self/mountinfo", "Linux/mountinfo/docker-host.txt");

        MetricBuffer buffer = Collect(CreateSource(tree.Root, o => o.MaxFilesystems = 5));

        Assert.Equal(5, buffer.LabelValues(FilesystemUsage, "mountpoint").Count);
        Assert.Contains(buffer.Errors, e => e.What.Contains("Agent:Metrics:Host:MaxFilesystems", StringComparison.Ordinal));
    }

    [Fact]
    public void Collect_ServerDisks_ReportsWholeDisksThatDidIo()
    {
        using TempTree tree = TempTree.CopyOf("Linux/captured-vm");
        tree.WriteFixture("proc/diskstats", "Linux/diskstats/server-kernel6.txt");
        tree.Delete("sys/block");
        CopyDirectory(FixtureFiles.PathOf("Linux/diskstats/server-sys/block"), Path.Combine(tree.Sys, "block"));

        MetricBuffer buffer = Collect(CreateSource(tree.Root));

        // Partitions (no /sys/block entry), sr0 and nbd0 (no I/O), loop and zram (excluded) are not reported.
        Assert.Equal(["dm-0", "dm-1", "md0", "nvme0n1", "sda"], buffer.LabelValues(DiskIo, "device"));
        Assert.Equal(78901234.0 * 512, buffer.Value(DiskIo, "device=sda", "direction=read"));
        Assert.Equal(98765432.0 * 512, buffer.Value(DiskIo, "device=sda", "direction=write"));
        Assert.Equal(982345, buffer.Value(DiskOperations, "device=sda", "direction=read"));
        Assert.Equal(456.789, buffer.Value(DiskOperationTime, "device=sda", "direction=read"));
        Assert.Equal(654.321, buffer.Value(DiskIoTime, "device=sda"));
        Assert.Equal(2, buffer.Value(DiskPendingOperations, "device=sda"));
        Assert.Equal(MetricKind.Gauge, buffer.Kind(DiskPendingOperations, "device=sda"));
        Assert.Equal(MetricKind.Counter, buffer.Kind(DiskIo, "device=sda", "direction=read"));
        Assert.Equal(8 * 5, buffer.All(DiskIo).Count + buffer.All(DiskOperations).Count + buffer.All(DiskOperationTime).Count
            + buffer.All(DiskIoTime).Count + buffer.All(DiskPendingOperations).Count);
    }

    [Fact]
    public void Collect_DiskCountersWrap_SendsTheRawValuesForTheCollectorToHandle()
    {
        using TempTree tree = TempTree.CopyOf("Linux/captured-vm");
        Directory.CreateDirectory(Path.Combine(tree.Sys, "block", "sda"));
        var source = CreateSource(tree.Root);
        tree.WriteFixture("proc/diskstats", "Linux/diskstats/wrap-cycle1.txt");
        MetricBuffer before = Collect(source);
        tree.WriteFixture("proc/diskstats", "Linux/diskstats/wrap-cycle2.txt");

        MetricBuffer after = Collect(source);

        Assert.Equal(4294967000, before.Value(DiskOperations, "device=sda", "direction=read"));
        Assert.Equal(200, after.Value(DiskOperations, "device=sda", "direction=read"));
        Assert.Empty(after.Errors);
    }

    [Fact]
    public void Collect_DockerHostInterfaces_SkipsLoopbackContainerEndsAndIdleInterfaces()
    {
        using TempTree tree = TempTree.CopyOf("Linux/captured-vm");
        tree.WriteFixture("proc/net/dev", "Linux/netdev/docker-host.txt");

        MetricBuffer buffer = Collect(CreateSource(tree.Root));

        Assert.Equal(["docker0", "eth0", "eth1", "wg0"], buffer.LabelValues(NetworkIo, "device"));
        Assert.Equal(18446744073709551000.0, buffer.Value(NetworkIo, "device=eth0", "direction=receive"));
        Assert.Equal(876543210, buffer.Value(NetworkPackets, "device=eth0", "direction=transmit"));
        Assert.Equal(3, buffer.Value(NetworkErrors, "device=eth0", "direction=receive"));
        Assert.Equal(9, buffer.Value(NetworkDropped, "device=wg0", "direction=transmit"));
    }

    [Fact]
    public void Collect_Temperatures_ReadsEverySensorAndReportsABrokenOneOnce()
    {
        using TempTree tree = TempTree.CopyOf("Linux/captured-vm");
        CopyDirectory(FixtureFiles.PathOf("Linux/temperatures/sys/class"), Path.Combine(tree.Sys, "class"));
        var source = CreateSource(tree.Root);

        MetricBuffer first = Collect(source);
        MetricBuffer second = Collect(source);

        Assert.Equal(6, first.All(Temperature).Count);
        Assert.Equal(47.0, first.Value(Temperature, "zone=thermal_zone0", "type=x86_pkg_temp"));
        Assert.Equal(52.0, first.Value(Temperature, "chip=coretemp", "device=hwmon0", "sensor=Package id 0"));
        Assert.Equal(-5.0, first.Value(Temperature, "chip=nvme", "device=hwmon1", "sensor=temp2"));
        Assert.Equal("Cel", first.All(Temperature)[0].Unit);
        Assert.Contains("thermal_zone1", Assert.Single(first.Errors).What, StringComparison.Ordinal);
        Assert.Empty(second.Errors);
        Assert.Equal(6, second.All(Temperature).Count);
    }

    [Fact]
    public void Collect_TemperaturesDisabled_ReadsNoSensor()
    {
        using TempTree tree = TempTree.CopyOf("Linux/captured-vm");
        CopyDirectory(FixtureFiles.PathOf("Linux/temperatures/sys/class"), Path.Combine(tree.Sys, "class"));

        MetricBuffer buffer = Collect(CreateSource(tree.Root, o => o.Temperatures = false));

        Assert.Empty(buffer.All(Temperature));
    }

    [Fact]
    public void Collect_EveryUtilization_HasAtMostFourDecimals()
    {
        using TempTree tree = TempTree.CopyOf("Linux/captured-vm");
        tree.WriteFixture("proc/meminfo", "Linux/meminfo/with-swap.txt");
        var source = CreateSource(tree.Root);
        tree.WriteFixture("proc/stat", "Linux/stat/four-cpus-cycle3-cpu2-back.txt");
        Collect(source);
        tree.WriteFixture("proc/stat", "Linux/stat/four-cpus-cycle4.txt");

        MetricBuffer buffer = Collect(source);

        List<MetricSample> ratios = buffer.Samples.Where(s => s.Unit == UnitRatio).ToList();
        Assert.True(ratios.Count > 20);
        Assert.All(ratios, s => Assert.Equal(Math.Round(s.Value, 4), s.Value));
    }

    private static LinuxHostMetricSource CreateSource(
        string root,
        Action<HostMetricsOptions>? configure = null,
        Func<string, FilesystemStats>? queryFilesystem = null)
    {
        var options = new HostMetricsOptions
        {
            ProcRoot = Path.Combine(root, "proc"),
            SysRoot = Path.Combine(root, "sys"),
        };
        configure?.Invoke(options);
        return new LinuxHostMetricSource(options, TimeProvider.System, queryFilesystem ?? (_ => FakeStats));
    }

    private static MetricBuffer Collect(LinuxHostMetricSource source)
    {
        var buffer = new MetricBuffer(timestampUnixMs: 1_700_000_000_000);
        source.Collect(buffer);
        return buffer;
    }

    private static List<double> CpuUtilizationByState(MetricBuffer buffer) =>
        buffer.All(CpuUtilization)
            .Where(s => s.Labels.Length == 1 && s.Labels[0].Key == "state")
            .Select(s => s.Value)
            .ToList();

    private static void CopyDirectory(string source, string target)
    {
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
