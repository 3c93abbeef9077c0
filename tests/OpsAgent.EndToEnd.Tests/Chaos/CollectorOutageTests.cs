using System.Diagnostics;
using OpsAgent.EndToEnd.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.EndToEnd.Tests.Chaos;

/// <summary>
/// A collector outage far longer than the agent's disk budget holds: the agent keeps producing, its outbox stays within
/// its disk and memory bounds (RSS flat), drops the oldest data and counts every dropped batch in its own metrics,
/// nothing crashes, and delivery resumes when the collector returns.
/// </summary>
public sealed class CollectorOutageTests : IDisposable
{
    private const int Series = 500;
    private const int BatchesPerSecond = 20;
    private const long Step = 1000 / BatchesPerSecond;
    private const long DiskBudget = 1024 * 1024;
    private const long MemoryBudget = 256 * 1024;
    private const long AllowedGrowth = 8 * 1024 * 1024;

    // Agent:Uplink:MaxInFlightBatches, default.
    private const int MaxInFlightBatches = 32;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task CollectorDownLongerThanTheDiskBudgetHolds_MemoryFlatDropsCountedDeliveryResumes()
    {
        string agentState = _dir.Sub("agent");
        await using CollectorProcess collector = await CollectorProcess.StartAsync(_dir.Sub("collector"), fixedPorts: true);
        await using ManagedProcess agent = AgentProcess.Start(collector.GatewayUrl, agentState, "e2e-outage",
        [
            .. SyntheticStream.AgentArgs(Series, BatchesPerSecond),
            $"--Agent:Outbox:MaxDiskBytes={DiskBudget}",
            $"--Agent:Outbox:MaxMemoryBytes={MemoryBudget}",
            "--Agent:Outbox:SegmentBytes=65536",
        ]);
        string Diagnostics() => collector.Process + "\n" + agent;
        long start = await SyntheticStream.StartOfRunAsync(agent);
        await SyntheticStream.WaitForStoredAsync(collector, Series, start + 1000, TimeSpan.FromSeconds(60), Diagnostics);

        // The outage: sample the agent's memory and its outbox's size on disk all along.
        await collector.KillAsync();
        var rss = new List<(TimeSpan At, long Bytes)>();
        long largestOutbox = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Outage)
        {
            Assert.False(agent.HasExited, "the agent exited during the outage:\n" + agent);
            rss.Add((clock.Elapsed, ProcStatus.ResidentBytes(agent.Pid)));
            largestOutbox = Math.Max(largestOutbox, OutboxBytesOnDisk(agentState));
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        await collector.StartProcessAsync();
        long back = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long end = back + 4000;
        await SyntheticStream.WaitForStoredAsync(collector, Series, end, TimeSpan.FromSeconds(60), Diagnostics);

        // The agent's own count of dropped metric batches, as reported after the outage.
        double dropped = await Eventually.GetAsync(
            async () =>
            {
                QueryMetricsResponse r = await collector.Admin.QueryMetricsAsync(
                    new QueryMetricsRequest
                    {
                        Name = "opsagent.outbox.dropped",
                        StartUnixMs = end,
                        Matchers = { new LabelMatcher { Key = "lane", Op = MatchOp.Equal, Value = "metrics" } },
                    },
                    cancellationToken: TestContext.Current.CancellationToken);
                return r.Series.FirstOrDefault() is { Values.Count: > 0 } s ? (object)s.Values[^1] : null;
            },
            TimeSpan.FromSeconds(30),
            "the agent's opsagent.outbox.dropped{lane=metrics} reported after the outage",
            Diagnostics) is double value ? value : 0;

        Assert.False(agent.HasExited, "the agent exited:\n" + agent);
        Assert.False(collector.Process!.HasExited);

        // Memory stayed flat: once the outbox was full (a few seconds in), RSS did not grow with the data produced.
        long early = rss.Where(r => r.At >= TimeSpan.FromSeconds(3) && r.At < TimeSpan.FromSeconds(8)).Max(r => r.Bytes);
        long late = rss.Where(r => r.At >= Outage - TimeSpan.FromSeconds(6)).Max(r => r.Bytes);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"outage: agent RSS {early / 1048576.0:F1} MiB early, {late / 1048576.0:F1} MiB late; largest outbox on disk {largestOutbox} bytes; dropped metric batches {dropped}");
        Assert.True(late - early < AllowedGrowth, $"agent RSS grew from {early} to {late} bytes during the outage");
        Assert.True(largestOutbox <= DiskBudget, $"the outbox took {largestOutbox} bytes on disk, above its {DiskBudget}-byte budget");

        // Every synthetic batch that is missing was dropped and counted: a silent loss would make missing > dropped.
        // The count also holds the agent's own once-a-second metric batches dropped in the outage, and batches that were
        // in flight when dropped (maybe stored, not yet acknowledged): at most the in-flight window when the collector
        // died and again while the full outbox drained after it came back.
        Dictionary<string, List<long>> stored = await SyntheticStream.StoredAsync(collector, start, end);
        long missing = MissingPoints(stored["0"], start, end, Step);
        long missingSelf = MissingPoints(await StoredTimesAsync(collector, "process.memory.usage", start, end), start - (start % 1000) + 1000, end, 1000);
        Assert.True(missing > 0, "the outage should have cost data: the test's budget is too large for its rate");
        Assert.InRange(dropped, missing, missing + missingSelf + (2 * MaxInFlightBatches));

        // Delivery resumed: the last seconds are complete for every series.
        foreach ((string series, List<long> samples) in stored)
        {
            var set = new HashSet<long>(samples);
            for (long t = end - 1000 - (end % Step); t <= end - (end % Step); t += Step)
            {
                Assert.True(set.Contains(t), $"series {series} has no sample at {t}, after the collector came back at {back}");
            }
        }
    }

    private static long MissingPoints(List<long> times, long first, long last, long step)
    {
        var set = new HashSet<long>(times);
        Assert.Equal(times.Count, set.Count);
        long missing = 0;
        for (long t = first; t <= last; t += step)
        {
            missing += set.Contains(t) ? 0 : 1;
        }

        return missing;
    }

    private static async Task<List<long>> StoredTimesAsync(CollectorProcess collector, string name, long from, long to)
    {
        QueryMetricsResponse r = await collector.Admin.QueryMetricsAsync(
            new QueryMetricsRequest { Name = name, StartUnixMs = from, EndUnixMs = to },
            cancellationToken: TestContext.Current.CancellationToken);
        return [.. Assert.Single(r.Series).TimestampsUnixMs];
    }

    private static long OutboxBytesOnDisk(string stateDirectory)
    {
        long total = 0;
        foreach (string file in Directory.GetFiles(Path.Combine(stateDirectory, "outbox"), "*.seg"))
        {
            try
            {
                total += new FileInfo(file).Length;
            }
            catch (FileNotFoundException)
            {
                // Deleted between listing and sizing: it no longer counts.
            }
        }

        return total;
    }
}
