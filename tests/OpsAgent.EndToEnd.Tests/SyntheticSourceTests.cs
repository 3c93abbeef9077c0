using OpsAgent.EndToEnd.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.EndToEnd.Tests;

/// <summary>The agent's deterministic synthetic source, which later end-to-end scenarios build on.</summary>
public sealed class SyntheticSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Agent_SyntheticWithBackfillAndFault_HistoryAndLiveSamplesStoredWithTheFault()
    {
        DateTimeOffset faultStart = DateTimeOffset.UtcNow.AddMinutes(-2);
        await using CollectorProcess collector = await CollectorProcess.StartAsync(_dir.Sub("collector"));
        await using ManagedProcess agent = AgentProcess.Start(collector.GatewayUrl, _dir.Sub("agent"), "e2e-synthetic",
        [
            "--Agent:Metrics:Host:Enabled=false",
            "--Agent:Metrics:Synthetic:Series=3",
            "--Agent:Metrics:Synthetic:Backfill=00:10:00",
            "--Agent:Metrics:Synthetic:Faults:0:Kind=LevelShift",
            "--Agent:Metrics:Synthetic:Faults:0:Start=" + faultStart.ToString("O"),
            "--Agent:Metrics:Synthetic:Faults:0:Magnitude=1000",
            "--Agent:Metrics:Synthetic:Faults:0:SeriesIndexes:0=2",
        ]);

        // Ten minutes of history at the 1 s interval arrive at once, then live samples keep coming.
        QueryMetricsResponse stored = await Eventually.GetAsync(
            async () =>
            {
                QueryMetricsResponse r = await collector.Admin.QueryMetricsAsync(
                    new QueryMetricsRequest { Name = "synthetic.signal", StartUnixMs = DateTimeOffset.UtcNow.AddMinutes(-15).ToUnixTimeMilliseconds() },
                    cancellationToken: TestContext.Current.CancellationToken);
                return r.Series.Count == 3 && r.Series.All(s => s.Values.Count >= 602) ? r : null;
            },
            TimeSpan.FromSeconds(60),
            "600 backfilled and 2 live samples of each of 3 synthetic series",
            () => collector.Process + "\n" + agent);

        long faultMs = faultStart.ToUnixTimeMilliseconds();
        foreach (SeriesPoints series in stored.Series)
        {
            string index = series.Series.Labels.Single(l => l.Key == "series").Value;
            Assert.Equal(series.TimestampsUnixMs.Count, series.TimestampsUnixMs.Distinct().Count());
            for (int i = 0; i < series.Values.Count; i++)
            {
                bool shifted = index == "2" && series.TimestampsUnixMs[i] >= faultMs;
                Assert.True(shifted ? series.Values[i] > 900 : series.Values[i] < 100,
                    $"series {index} at {series.TimestampsUnixMs[i]} has {series.Values[i]}");
            }
        }

        // No host metrics: the switch turned the host source off.
        ListSeriesResponse all = await collector.Admin.ListSeriesAsync(new ListSeriesRequest { NamePrefix = "system." }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Empty(all.Series);
    }
}
