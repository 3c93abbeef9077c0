extern alias Cli;

using Cli::OpsAgent.Cli.Bench;
using OpsAgent.Cli.Tests.Infrastructure;

namespace OpsAgent.Cli.Tests.Bench;

public sealed class BenchIngestCommandTests
{
    [Theory]
    [InlineData("--agents", "0", "--agents '0' must be a whole number from 1 to 10000.")]
    [InlineData("--series", "-3", "--series '-3' must be a whole number from 1 to 100000.")]
    [InlineData("--duration", "60", "--duration '60' is not a duration.")]
    [InlineData("--interval", "0s", "--interval '0s' must be between 10ms and 1d.")]
    [InlineData("--gateway", "collector:7400", "--gateway 'collector:7400' is not an http:// or https:// URL")]
    [InlineData("--pace", "fast", "fast")]
    public async Task Run_BadOption_UsageErrorNamingTheOption(string option, string value, string expected)
    {
        CliResult result = await new CliRunner().RunAsync("bench", "ingest", option, value, "--collector", "http://127.0.0.1:1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_KnownValues_NearestRank()
    {
        double[] sorted = [.. Enumerable.Range(1, 100).Select(i => (double)i)];

        Assert.Equal(50, Percentiles.Of(sorted, 50));
        Assert.Equal(99, Percentiles.Of(sorted, 99));
        Assert.Equal(100, Percentiles.Of(sorted, 100));
        Assert.Equal(1, Percentiles.Of([1], 99));
        Assert.Equal(0, Percentiles.Of([], 50));
    }

    [Fact]
    public void Next_SameSeed_SameValuesShapedLikeHostMetrics()
    {
        var a = new HostMetricGenerator(460, seed: 3);
        var b = new HostMetricGenerator(460, seed: 3);

        for (int step = 0; step < 50; step++)
        {
            for (int s = 0; s < a.Series.Count; s++)
            {
                double value = a.Next(a.Series[s]);
                Assert.Equal(value, b.Next(b.Series[s]));
                switch (a.Series[s].Kind)
                {
                    case HostMetricKind.Utilization:
                        Assert.InRange(value, 0, 1);
                        Assert.Equal(value, Math.Round(value, 4));
                        break;
                    case HostMetricKind.BusyCounter or HostMetricKind.IdleCounter or HostMetricKind.IntegerGauge or HostMetricKind.Constant:
                        Assert.Equal(value, Math.Floor(value));
                        break;
                }
            }
        }

        Assert.Equal(460, a.Series.Select(s => (s.Name, string.Join(',', s.Labels))).Distinct().Count());
    }
}
