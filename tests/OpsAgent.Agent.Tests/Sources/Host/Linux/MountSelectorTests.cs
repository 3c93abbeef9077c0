using OpsAgent.Agent.Sources.Host;
using OpsAgent.Agent.Sources.Host.Linux;
using OpsAgent.Agent.Tests.Sources.Host.TestSupport;

namespace OpsAgent.Agent.Tests.Sources.Host.Linux;

public sealed class MountSelectorTests
{
    [Fact]
    public void Select_CapturedVm_ReportsTheRootDiskAndRealTmpfsOnly()
    {
        List<MountInfo> selected = SelectDefaults("Linux/captured-vm/proc/self/mountinfo");

        // proc, sysfs, cgroup, devpts, and the tmpfs under /dev and /sys are skipped.
        Assert.Equal(["/", "/mnt/sandboxing/model_tools_env/v1/python"], selected.Select(m => m.MountPoint));
    }

    [Fact]
    public void Select_DockerHost_SkipsPseudoFilesystemsContainerLayersAndSnaps()
    {
        List<MountInfo> selected = SelectDefaults("Linux/mountinfo/docker-host.txt");

        Assert.Equal(
            ["/", "/boot/efi", "/data", "/mnt/backup", "/run", "/run/lock", "/run/user/1000", "/var/lib/docker"],
            selected.Select(m => m.MountPoint));
    }

    [Fact]
    public void Select_ContainerWithOverlayRoot_ReportsTheRootAndTheVolume()
    {
        List<MountInfo> selected = SelectDefaults("Linux/mountinfo/container-overlay-root.txt");

        Assert.Equal(["/", "/var/lib/postgresql/data"], selected.Select(m => m.MountPoint));
        Assert.Equal("overlay", selected[0].FsType);
    }

    [Fact]
    public void Select_BindMountsAndSubvolumes_ReportsEachDeviceOnce()
    {
        List<MountInfo> selected = SelectDefaults("Linux/mountinfo/bind-mounts.txt");

        // sda2: "/" wins over the bind of itself and of /var/log; sdb1: its root mount wins over binds of
        // subdirectories; btrfs sdc1 (no mount of its root): the shorter path; tmpfs mounted twice: once.
        Assert.Equal(["/", "/home", "/mnt/disk", "/scratch"], selected.Select(m => m.MountPoint));
    }

    [Fact]
    public void Select_TwoFilesystemsOnOneMountPoint_ReportsTheOneOnTop()
    {
        List<MountInfo> selected = SelectDefaults("Linux/mountinfo/stacked.txt");

        MountInfo data = Assert.Single(selected, m => m.MountPoint == "/data");
        Assert.Equal("xfs", data.FsType);
    }

    [Fact]
    public void Select_MoreThanTheMaximum_KeepsTheFirstByMountPointAndCountsTheRest()
    {
        var selector = new MountSelector(new NamePatterns([]), new NamePatterns([]), maxFilesystems: 3);
        List<MountInfo> mounts = MountInfoParser.Parse(FixtureFiles.Read("Linux/mountinfo/bind-mounts.txt"), out _);

        List<MountInfo> selected = selector.Select(mounts, out int overLimit);

        Assert.Equal(["/", "/home", "/mnt/disk"], selected.Select(m => m.MountPoint));
        Assert.Equal(1, overLimit);
    }

    [Fact]
    public void Select_CustomExclusions_ReplaceTheDefaults()
    {
        var selector = new MountSelector(new NamePatterns(["xfs", "nfs*"]), new NamePatterns(["/run*"]), 100);
        List<MountInfo> mounts = MountInfoParser.Parse(FixtureFiles.Read("Linux/mountinfo/docker-host.txt"), out _);

        List<string> selected = selector.Select(mounts, out _).ConvertAll(m => m.MountPoint);

        Assert.DoesNotContain("/data", selected);
        Assert.DoesNotContain("/mnt/backup", selected);
        Assert.DoesNotContain("/run/lock", selected);
        Assert.Contains("/proc", selected); // no longer excluded by type or path
    }

    private static List<MountInfo> SelectDefaults(string fixture)
    {
        var selector = new MountSelector(
            new NamePatterns(HostMetricsOptions.DefaultExcludedFilesystemTypes),
            new NamePatterns(HostMetricsOptions.DefaultExcludedMountPoints),
            new HostMetricsOptions().MaxFilesystems);
        List<MountInfo> mounts = MountInfoParser.Parse(FixtureFiles.Read(fixture), out _);
        List<MountInfo> selected = selector.Select(mounts, out int overLimit);
        Assert.Equal(0, overLimit);
        return selected;
    }
}
