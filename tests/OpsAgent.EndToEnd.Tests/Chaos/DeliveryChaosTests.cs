using OpsAgent.EndToEnd.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.EndToEnd.Tests.Chaos;

/// <summary>
/// Delivery under crashes, with real processes: while the agent streams its deterministic synthetic source, the
/// collector is SIGKILLed and restarted at random (seeded) moments, then the agent is. Every sample the agent produced
/// must be stored exactly once; an agent crash may lose only what its fsync policy allows, and for a process crash
/// (SIGKILL) that is nothing it had enqueued: what was written to the page cache outlives the process.
/// </summary>
public sealed class DeliveryChaosTests : IDisposable
{
    private const int Series = 20;
    private const int BatchesPerSecond = 20;
    private const long Step = 1000 / BatchesPerSecond;
    private const int CollectorKills = 5;
    private const int AgentKills = 2;
    private const int Seed = 20261207;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task CollectorThenAgentKilledAtRandomMoments_EveryProducedSampleStoredExactlyOnce()
    {
        var random = new Random(Seed);
        string agentState = _dir.Sub("agent");
        await using CollectorProcess collector = await CollectorProcess.StartAsync(_dir.Sub("collector"), fixedPorts: true);
        var agents = new List<ManagedProcess>();
        ManagedProcess StartAgent()
        {
            ManagedProcess agent = AgentProcess.Start(collector.GatewayUrl, agentState, "e2e-chaos", SyntheticStream.AgentArgs(Series, BatchesPerSecond));
            agents.Add(agent);
            return agent;
        }

        string Diagnostics() => collector.Process + "\n" + string.Join('\n', agents);
        try
        {
            ManagedProcess agent = StartAgent();
            long runStart = await SyntheticStream.StartOfRunAsync(agent);
            var runs = new List<(long First, long Last)>();

            // Kill the collector at a random moment of a live stream, several times.
            for (int kill = 0; kill < CollectorKills; kill++)
            {
                await WaitConnectedAsync(collector, Diagnostics);
                await Task.Delay(random.Next(100, 1500), TestContext.Current.CancellationToken);
                await collector.KillAsync();
                await Task.Delay(random.Next(0, 1000), TestContext.Current.CancellationToken);
                await collector.StartProcessAsync();
            }

            // Kill the agent while the collector is down too, so that its outbox holds a backlog nobody acknowledged yet:
            // everything it had enqueued must survive the crash and arrive once both are back.
            for (int kill = 0; kill < AgentKills; kill++)
            {
                await WaitConnectedAsync(collector, Diagnostics);
                await Task.Delay(random.Next(100, 1000), TestContext.Current.CancellationToken);
                await collector.KillAsync();
                await Task.Delay(random.Next(500, 2000), TestContext.Current.CancellationToken);
                await agent.KillAsync();
                runs.Add((runStart, SyntheticStream.LastProduced(agentState)));
                agent = StartAgent();
                runStart = await SyntheticStream.StartOfRunAsync(agent);
                await Task.Delay(random.Next(0, 1000), TestContext.Current.CancellationToken);
                await collector.StartProcessAsync();
            }

            long end = runStart + (3 * 1000);
            await SyntheticStream.WaitForStoredAsync(collector, Series, end, TimeSpan.FromSeconds(60), Diagnostics);
            runs.Add((runStart, end));

            Dictionary<string, List<long>> stored = await SyntheticStream.StoredAsync(collector, runs[0].First - 60_000, end);
            Assert.Equal(Series, stored.Count);
            foreach ((string series, List<long> times) in stored)
            {
                List<long> inRange = [.. times.Where(t => t <= end)];
                Assert.True(inRange.Count == inRange.Distinct().Count(), $"series {series} has duplicate timestamps: {string.Join(',', inRange.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key))}");
                Assert.All(inRange, t => Assert.Equal(0, t % Step));
                var set = new HashSet<long>(inRange);
                foreach ((long first, long last) in runs)
                {
                    long[] missing = [.. Grid(first, last).Where(t => !set.Contains(t))];
                    Assert.True(missing.Length == 0,
                        $"series {series}: {missing.Length} samples produced in {first}..{last} are not stored, first {string.Join(',', missing.Take(10))}");
                }

                // Outside the runs (while the agent was down) nothing was produced; a batch enqueued just before a
                // kill but after the progress write may be there, once.
                Assert.All(inRange.Where(t => t < runs[0].First), t => Assert.Fail($"series {series} has a sample at {t}, before the agent started"));
            }

            StoreStats stats = await collector.Admin.GetStoreStatsAsync(new GetStoreStatsRequest(), cancellationToken: TestContext.Current.CancellationToken);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"chaos: seed {Seed}, {CollectorKills} collector kills, {AgentKills} agent kills, {runs.Sum(r => (r.Last - r.First) / Step + 1) * Series} samples checked, " +
                $"duplicates dropped by this collector run {stats.DuplicatesDropped}");
        }
        finally
        {
            foreach (ManagedProcess agent in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    private static IEnumerable<long> Grid(long first, long last)
    {
        for (long t = first; t <= last; t += Step)
        {
            yield return t;
        }
    }

    private static Task WaitConnectedAsync(CollectorProcess collector, Func<string> diagnostics) =>
        Eventually.TrueAsync(
            async () => (await collector.Admin.ListAgentsAsync(new ListAgentsRequest { ConnectedOnly = true }, cancellationToken: TestContext.Current.CancellationToken)).Agents.Count > 0,
            TimeSpan.FromSeconds(60),
            "the agent to connect",
            diagnostics);
}
