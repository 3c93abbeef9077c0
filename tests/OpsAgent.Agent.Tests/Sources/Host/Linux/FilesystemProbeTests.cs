using OpsAgent.Agent.Sources.Host.Linux;

namespace OpsAgent.Agent.Tests.Sources.Host.Linux;

public sealed class FilesystemProbeTests
{
    private static readonly FilesystemStats Healthy = new(4096, 1000, 400, 300, 100, 60);

    [Fact]
    public void Query_AllAnswer_ReturnsEveryResult()
    {
        var probe = new FilesystemProbe(path => Healthy with { Blocks = (ulong)path.Length }, TimeSpan.FromSeconds(10));
        var results = new FilesystemQuery[2];

        probe.Query(["/", "/data"], results);

        Assert.Equal(FilesystemQueryStatus.Succeeded, results[0].Status);
        Assert.Equal(1UL, results[0].Stats.Blocks);
        Assert.Equal(5UL, results[1].Stats.Blocks);
    }

    [Fact]
    public void Query_OneFails_ReturnsItsErrorAndTheOthersResults()
    {
        var probe = new FilesystemProbe(
            path => path == "/gone" ? throw new IOException("statvfs(/gone) failed: No such file or directory (errno 2).") : Healthy,
            TimeSpan.FromSeconds(10));
        var results = new FilesystemQuery[2];

        probe.Query(["/gone", "/"], results);

        Assert.Equal(FilesystemQueryStatus.Failed, results[0].Status);
        Assert.IsType<IOException>(results[0].Error);
        Assert.Equal(FilesystemQueryStatus.Succeeded, results[1].Status);
    }

    [Fact]
    public void Query_HungMount_TimesOutThenSkipsItWithoutANewQueryUntilItAnswers()
    {
        using var release = new ManualResetEventSlim();
        int hungCalls = 0;
        var probe = new FilesystemProbe(
            path =>
            {
                if (path == "/mnt/nfs")
                {
                    Interlocked.Increment(ref hungCalls);
                    release.Wait(TimeSpan.FromSeconds(30));
                }

                return Healthy;
            },
            TimeSpan.FromSeconds(1));
        var results = new FilesystemQuery[2];

        probe.Query(["/", "/mnt/nfs"], results);
        Assert.Equal(FilesystemQueryStatus.Succeeded, results[0].Status);
        Assert.Equal(FilesystemQueryStatus.TimedOut, results[1].Status);

        probe.Query(["/", "/mnt/nfs"], results);
        Assert.Equal(FilesystemQueryStatus.Succeeded, results[0].Status);
        Assert.Equal(FilesystemQueryStatus.StillPending, results[1].Status);
        Assert.Equal(1, Volatile.Read(ref hungCalls));

        // Once the stuck call returns, its stale answer is dropped and the next cycle queries afresh.
        release.Set();
        Assert.True(SpinWait.SpinUntil(
            () =>
            {
                probe.Query(["/", "/mnt/nfs"], results);
                return results[1].Status == FilesystemQueryStatus.Succeeded;
            },
            TimeSpan.FromSeconds(10)));
        Assert.Equal(2, Volatile.Read(ref hungCalls));
    }

    [Fact]
    public void Query_TwoHungMountsAmongHealthyOnes_AnswersEveryHealthyOne()
    {
        using var release = new ManualResetEventSlim();
        var probe = new FilesystemProbe(
            path =>
            {
                if (path.StartsWith("/mnt/nfs", StringComparison.Ordinal))
                {
                    release.Wait(TimeSpan.FromSeconds(30));
                }

                return Healthy;
            },
            TimeSpan.FromMilliseconds(300));
        string[] paths = ["/mnt/nfs1", "/", "/mnt/nfs2", "/data", "/home"];
        var results = new FilesystemQuery[paths.Length];

        try
        {
            probe.Query(paths, results);

            Assert.Equal(
                [FilesystemQueryStatus.TimedOut, FilesystemQueryStatus.Succeeded, FilesystemQueryStatus.TimedOut,
                    FilesystemQueryStatus.Succeeded, FilesystemQueryStatus.Succeeded],
                results.Select(r => r.Status));

            probe.Query(paths, results);

            Assert.Equal(
                [FilesystemQueryStatus.StillPending, FilesystemQueryStatus.Succeeded, FilesystemQueryStatus.StillPending,
                    FilesystemQueryStatus.Succeeded, FilesystemQueryStatus.Succeeded],
                results.Select(r => r.Status));
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public void Query_NoPaths_ReturnsAtOnce()
    {
        var probe = new FilesystemProbe(_ => Healthy, TimeSpan.FromSeconds(10));

        probe.Query([], []);
        probe.Query([], []);
    }
}
