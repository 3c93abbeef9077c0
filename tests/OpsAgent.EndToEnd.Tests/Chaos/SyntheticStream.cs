using System.Globalization;
using System.Text.RegularExpressions;
using OpsAgent.EndToEnd.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.EndToEnd.Tests.Chaos;

/// <summary>
/// The agent's synthetic source in stream mode (Agent:Metrics:Synthetic:BatchesPerSecond), seen from outside: where a
/// run of the agent started producing (its start-up log line), how far it got (the progress file it writes after each
/// enqueue) and what the collector stored, per series.
/// </summary>
internal static partial class SyntheticStream
{
    public const string MetricName = "synthetic.signal";

    public static IEnumerable<string> AgentArgs(int series, int batchesPerSecond) =>
    [
        "--Agent:Metrics:Host:Enabled=false",
        $"--Agent:Metrics:Synthetic:Series={series}",
        $"--Agent:Metrics:Synthetic:BatchesPerSecond={batchesPerSecond}",
    ];

    /// <summary>The first grid point this run of the agent produces, from its start-up log line.</summary>
    public static async Task<long> StartOfRunAsync(ManagedProcess agent)
    {
        await agent.WaitForOutputAsync("Synthetic source: streaming", TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        Match match = StreamingLine().Matches(agent.Output).Last();
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The last grid point the agent enqueued before it stopped or was killed.</summary>
    public static long LastProduced(string stateDirectory) =>
        long.Parse(File.ReadAllText(Path.Combine(stateDirectory, "synthetic-progress")).Trim(), CultureInfo.InvariantCulture);

    /// <summary>Stored sample times of every synthetic series between <paramref name="from"/> and <paramref name="to"/>, by series index.</summary>
    public static async Task<Dictionary<string, List<long>>> StoredAsync(CollectorProcess collector, long from, long to)
    {
        QueryMetricsResponse response = await collector.Admin.QueryMetricsAsync(
            new QueryMetricsRequest { Name = MetricName, StartUnixMs = from, EndUnixMs = to, MaxSeries = 10_000 },
            cancellationToken: TestContext.Current.CancellationToken).ConfigureAwait(false);
        return response.Series.ToDictionary(
            s => s.Series.Labels.Single(l => l.Key == "series").Value,
            s => s.TimestampsUnixMs.ToList());
    }

    /// <summary>Waits until every series has a stored sample at or after <paramref name="time"/>.</summary>
    public static Task WaitForStoredAsync(CollectorProcess collector, int series, long time, TimeSpan timeout, Func<string> diagnostics) =>
        Eventually.TrueAsync(
            async () =>
            {
                Dictionary<string, List<long>> stored = await StoredAsync(collector, time, time + 3_600_000).ConfigureAwait(false);
                return stored.Count == series && stored.Values.All(t => t.Count > 0);
            },
            timeout,
            $"every synthetic series to have a sample at or after {time}",
            diagnostics);

    [GeneratedRegex(@"streaming \d+ series from (\d+) \(unix ms\)")]
    private static partial Regex StreamingLine();
}
