using OpsAgent.Agent.Sources;
using OpsAgent.Agent.Sources.Host;
using OpsAgent.Agent.Tests.Sources.Host.TestSupport;
using static OpsAgent.Agent.Sources.Host.HostMetricNames;

namespace OpsAgent.Agent.Tests.Sources.Host;

/// <summary>Runs the source of the operating system the tests run on against the real machine.</summary>
public sealed class HostMetricSourceTests
{
    [Fact]
    public void Create_OnThisMachine_CollectsTheCoreSeriesWithSaneValues()
    {
        IMetricSource source = HostMetricSource.Create(new HostMetricsOptions(), TimeProvider.System);
        source.Collect(new MetricBuffer(0));

        // Utilisation needs two readings some CPU ticks (10 ms) apart.
        Thread.Sleep(TimeSpan.FromMilliseconds(200));
        var buffer = new MetricBuffer(1);
        source.Collect(buffer);

        if (OperatingSystem.IsLinux())
        {
            AssertLinuxSeries(buffer);
        }
        else if (OperatingSystem.IsWindows())
        {
            AssertWindowsSeries(buffer);
        }
        else
        {
            Assert.Empty(buffer.Samples);
        }
    }

    private static void AssertLinuxSeries(MetricBuffer buffer)
    {
        Assert.True(buffer.Errors.Count == 0, string.Join("; ", buffer.Errors.Select(e => e.What)));
        buffer.AssertUniqueSeries();
        AssertCommonSeries(buffer);
        Assert.InRange(buffer.Value(LoadAverage1m), 0, 10_000);
        Assert.InRange(buffer.Value(ProcessesCount, "status=running"), 1, 100_000);
        Assert.True(buffer.Value(MemoryLinuxAvailable) > 0);
        Assert.Equal(8, buffer.LabelValues(CpuUtilization, "state").Count);
        Assert.Contains("/", buffer.LabelValues(FilesystemUsage, "mountpoint"));
        Assert.InRange(buffer.Value(FilesystemInodesUtilization, RootLabels(buffer)), 0, 1);
        Assert.NotEmpty(buffer.All(DiskIo));
        Assert.NotEmpty(buffer.All(NetworkIo));
        Assert.All(buffer.All(Temperature), s => Assert.InRange(s.Value, -60, 150));
    }

    private static void AssertWindowsSeries(MetricBuffer buffer)
    {
        AssertCommonSeries(buffer);
        Assert.Equal(["idle", "system", "user"], buffer.LabelValues(CpuUtilization, "state"));
        Assert.NotEmpty(buffer.All(FilesystemUsage));
    }

    private static void AssertCommonSeries(MetricBuffer buffer)
    {
        double cpus = buffer.Value(CpuLogicalCount);
        Assert.InRange(cpus, 1, 8192);
        Assert.Equal(cpus, buffer.LabelValues(CpuUtilization, "cpu").Count);
        Assert.InRange(buffer.Value(CpuUtilization), 0, 1);
        Assert.All(buffer.Samples.Where(s => s.Unit == UnitRatio), s => Assert.InRange(s.Value, 0, 1));
        Assert.All(buffer.All(CpuTime), s => Assert.True(s.Value >= 0));
        double limit = buffer.Value(MemoryLimit);
        Assert.True(limit > 64 * 1024 * 1024);
        Assert.InRange(buffer.Value(MemoryUsage, "state=used"), 1, limit);
        Assert.Equal(limit, buffer.All(MemoryUsage).Sum(s => s.Value), precision: 0);
        Assert.NotEmpty(buffer.All(PagingUsage));
        Assert.True(buffer.Value(Uptime) > 0);
        Assert.InRange(buffer.Value(ProcessCount), 1, 10_000_000);
        Assert.DoesNotContain(buffer.Samples, s => double.IsNaN(s.Value) || double.IsInfinity(s.Value));
    }

    private static string[] RootLabels(MetricBuffer buffer) =>
        buffer.All(FilesystemUtilization)
            .Single(s => s.Labels.Contains(new MetricLabel("mountpoint", "/")))
            .Labels.Select(l => l.Key + "=" + l.Value)
            .ToArray();
}
