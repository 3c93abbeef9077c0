using System.Text.Json;
using OpsAgent.Cli.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Tests.Metrics;

public sealed class MetricsQueryCommandTests : IAsyncLifetime
{
    private static readonly DateTimeOffset TenMinutesAgo = CliRunner.Now.AddMinutes(-10);

    private readonly CliRunner _cli = new();
    private ScriptedCollector _collector = null!;

    public async ValueTask InitializeAsync() =>
        _collector = await ScriptedCollector.StartAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _collector.DisposeAsync();

    /// <summary>Points at minute offsets from ten minutes ago (a 1m grid of ten steps up to now).</summary>
    private static SeriesPoints Points(SeriesInfo series, params (int Minute, double Value)[] points)
    {
        var result = new SeriesPoints { Series = series };
        foreach (var (minute, value) in points)
        {
            result.TimestampsUnixMs.Add(CliRunner.UnixMs(TenMinutesAgo.AddMinutes(minute)));
            result.Values.Add(value);
        }

        return result;
    }

    private static QueryMetricsResponse CpuAnswer() => new()
    {
        Series =
        {
            // Minute 2 has no point (a gap), minute 4 is NaN (a gap too).
            Points(
                Fleet.Series("system.cpu.utilization", "web-1", "1", ("cpu", "0")),
                (0, 0.10), (1, 0.20), (3, 0.40), (4, double.NaN), (5, 0.80), (6, 0.60), (7, 0.50), (8, 0.30), (9, 0.30)),
            // A single point in the last step: drawn flat, at mid height.
            Points(Fleet.Series("system.cpu.utilization", "db-1", "1", ("cpu", "0")), (9, 0.5)),
        },
    };

    [Fact]
    public async Task Query_Table_ShowsStatsAndSparklineWithGaps()
    {
        _collector.Admin.OnQueryMetrics = (_, _) => Task.FromResult(CpuAnswer());

        var result = await _cli.RunAsync(
            "metrics", "query", "system.cpu.utilization", "--since", "10m", "--step", "1m", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            system.cpu.utilization · avg per 1m · 2025-01-31 08:05:00 +00:00 → 2025-01-31 08:15:00 +00:00
            HOST   LABELS  LAST  MIN  MAX  AVG  TREND
            db-1   cpu=0   50%   50%  50%  50%           ▄
            web-1  cpu=0   30%   10%  80%  40%  ▁▂ ▄ █▆▅▃▃
            """,
            result.Text);
        Assert.Empty(result.Stderr);
        Assert.DoesNotContain('\u001b', result.Stdout);
    }

    [Fact]
    public async Task Query_Options_AreSentAsOneRequest()
    {
        _collector.Admin.OnQueryMetrics = (_, _) => Task.FromResult(CpuAnswer());

        var result = await _cli.RunAsync(
            "metrics", "query", "system.cpu.utilization", "--host", "web-1", "--label", "cpu=0",
            "--since", "10m", "--step", "1m", "--agg", "p95", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        var request = _collector.Admin.SingleRequestOf<QueryMetricsRequest>();
        Assert.Equal("system.cpu.utilization", request.Name);
        Assert.Equal(CliRunner.UnixMs(TenMinutesAgo), request.StartUnixMs);
        Assert.Equal(CliRunner.UnixMs(CliRunner.Now), request.EndUnixMs);
        Assert.Equal(60_000, request.StepMs);
        Assert.Equal(Aggregation.P95, request.Aggregation);
        Assert.Equal(
            [
                new LabelMatcher { Key = "host", Op = MatchOp.Equal, Value = "web-1" },
                new LabelMatcher { Key = "cpu", Op = MatchOp.Equal, Value = "0" },
            ],
            request.Matchers);
    }

    [Fact]
    public async Task Query_Defaults_AreLast15MinutesAveragedInAbout60Steps()
    {
        _collector.Admin.OnQueryMetrics = (_, _) => Task.FromResult(CpuAnswer());

        var result = await _cli.RunAsync("metrics", "query", "system.cpu.utilization", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        var request = _collector.Admin.SingleRequestOf<QueryMetricsRequest>();
        Assert.Equal(CliRunner.UnixMs(CliRunner.Now.AddMinutes(-15)), request.StartUnixMs);
        Assert.Equal(15_000, request.StepMs);
        Assert.Equal(Aggregation.Avg, request.Aggregation);
    }

    [Fact]
    public async Task Query_AbsoluteTimes_AreParsedAsRfc3339AndAlignedToTheStep()
    {
        _collector.Admin.OnQueryMetrics = (_, _) => Task.FromResult(CpuAnswer());

        var result = await _cli.RunAsync(
            "metrics", "query", "system.cpu.utilization",
            "--since", "2025-01-31T07:00:20+01:00", "--until", "2025-01-31T07:30:00Z", "--step", "1m",
            "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        var request = _collector.Admin.SingleRequestOf<QueryMetricsRequest>();
        Assert.Equal(CliRunner.UnixMs(new DateTimeOffset(2025, 1, 31, 6, 0, 0, TimeSpan.Zero)), request.StartUnixMs);
        Assert.Equal(CliRunner.UnixMs(new DateTimeOffset(2025, 1, 31, 7, 30, 0, TimeSpan.Zero)), request.EndUnixMs);
    }

    [Fact]
    public async Task Query_Json_HasSummaryPointsAndNullForNaN()
    {
        _collector.Admin.OnQueryMetrics = (_, _) => Task.FromResult(new QueryMetricsResponse
        {
            Series = { Points(Fleet.Series("system.memory.usage", "web-1", "By", ("state", "used")), (8, 1024), (9, double.NaN)) },
        });

        var result = await _cli.RunAsync(
            "metrics", "query", "system.memory.usage", "--since", "10m", "--step", "1m", "--agg", "max", "-o", "json",
            "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            {
              "name": "system.memory.usage",
              "aggregation": "max",
              "start": "2025-01-31T08:05:00.000Z",
              "end": "2025-01-31T08:15:00.000Z",
              "stepMs": 60000,
              "truncated": false,
              "series": [
                {
                  "name": "system.memory.usage",
                  "kind": "gauge",
                  "unit": "By",
                  "hostname": "web-1",
                  "agentId": "a-7f3c",
                  "labels": {
                    "agent_id": "a-7f3c",
                    "host": "web-1",
                    "state": "used"
                  },
                  "summary": {
                    "last": 1024,
                    "min": 1024,
                    "max": 1024,
                    "avg": 1024,
                    "count": 1
                  },
                  "points": [
                    {
                      "time": "2025-01-31T08:13:00.000Z",
                      "unixMs": 1738311180000,
                      "value": 1024,
                      "anomalous": false
                    },
                    {
                      "time": "2025-01-31T08:14:00.000Z",
                      "unixMs": 1738311240000,
                      "value": null,
                      "anomalous": false
                    }
                  ],
                  "anomalies": []
                }
              ]
            }

            """,
            result.Stdout);
    }

    [Fact]
    public async Task Query_SeriesWithAnAnomaly_MarksItsStepsInTableAndJson()
    {
        var cpu = Fleet.Series("system.cpu.utilization", "web-1", "1", ("cpu", "0"));
        cpu.SeriesId = 101;
        _collector.Admin.OnQueryMetrics = (_, _) => Task.FromResult(new QueryMetricsResponse
        {
            Series = { Points(cpu, (0, 0.1), (1, 0.2), (2, 0.2), (3, 0.3), (4, 0.2), (5, 0.97), (6, 0.9), (7, 0.3), (8, 0.2), (9, 0.2)) },
        });

        // The anomaly's stretch runs from 5 to 4 minutes ago: the steps starting 08:10 and 08:11.
        _collector.Admin.OnListAnomalies = (_, _) => Task.FromResult(new ListAnomaliesResponse { Anomalies = { Detections.Spike() } });

        var table = await _cli.RunAsync("metrics", "query", "system.cpu.utilization", "--since", "10m", "--step", "1m", "--collector", _collector.Url);
        var json = await _cli.RunAsync("metrics", "query", "system.cpu.utilization", "--since", "10m", "--step", "1m", "-o", "json", "--collector", _collector.Url);

        Assert.Equal(0, table.ExitCode);
        Assert.Equal(
            """
            system.cpu.utilization · avg per 1m · 2025-01-31 08:05:00 +00:00 → 2025-01-31 08:15:00 +00:00
            HOST   LABELS  LAST  MIN  MAX  AVG    TREND
            web-1  cpu=0   20%   10%  97%  35.7%  ▁▂▂▃▂█▇▃▂▂
                                                       ^^
            """,
            table.Text);
        var request = _collector.Admin.Calls.Select(c => c.Request).OfType<ListAnomaliesRequest>().First();
        Assert.Equal([101UL], request.SeriesIds);
        Assert.Equal(CliRunner.UnixMs(TenMinutesAgo), request.SinceUnixMs);
        Assert.Equal(CliRunner.UnixMs(CliRunner.Now), request.UntilUnixMs);
        using var document = JsonDocument.Parse(json.Stdout);
        var series = document.RootElement.GetProperty("series")[0];
        Assert.Equal(
            [false, false, false, false, false, true, true, false, false, false],
            series.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("anomalous").GetBoolean()));
        Assert.Equal(12, series.GetProperty("anomalies")[0].GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Query_NothingMatches_ExitsOneWithAHint()
    {
        _collector.Admin.OnQueryMetrics = (_, _) => Task.FromResult(new QueryMetricsResponse());

        var result = await _cli.RunAsync("metrics", "query", "system.cpu.utilisation", "--collector", _collector.Url);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal(
            "opsctl: no series of 'system.cpu.utilisation' matched in this time range. " +
            "Run 'opsctl metrics list system.cpu.utilisation' to see which series exist.\n",
            result.Stderr);
    }

    [Fact]
    public async Task Query_NothingMatchesInJson_StillPrintsAValidDocument()
    {
        _collector.Admin.OnQueryMetrics = (_, _) => Task.FromResult(new QueryMetricsResponse());

        var result = await _cli.RunAsync("metrics", "query", "nope", "-o", "json", "--collector", _collector.Url);

        Assert.Equal(1, result.ExitCode);
        using var document = JsonDocument.Parse(result.Stdout);
        Assert.Equal(0, document.RootElement.GetProperty("series").GetArrayLength());
    }

    [Fact]
    public async Task Query_SinceAfterUntil_IsAUsageError()
    {
        var result = await _cli.RunAsync(
            "metrics", "query", "x", "--since", "5m", "--until", "10m", "--collector", _collector.Url);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "opsctl: --since (2025-01-31T08:10:00.000Z) must be before --until (2025-01-31T08:05:00.000Z).\n",
            result.Stderr);
        Assert.Empty(_collector.Admin.Calls);
    }

    [Theory]
    [InlineData("--since", "15x", "--since '15x' is neither a duration (30s, 15m, 2h, 7d) nor an RFC 3339 time")]
    [InlineData("--until", "yesterday", "--until 'yesterday' is neither a duration")]
    [InlineData("--step", "fast", "--step 'fast' is not a duration")]
    [InlineData("--agg", "median", "Argument 'median' not recognized")]
    [InlineData("--timeout", "0s", "--timeout '0s' must be longer than zero and at most 1d.")]
    [InlineData("--timeout", "5w", "--timeout '5w' must be longer than zero and at most 1d.")]
    public async Task Query_BadOption_IsAUsageError(string option, string value, string expected)
    {
        var result = await _cli.RunAsync("metrics", "query", "x", option, value, "--collector", _collector.Url);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Empty(_collector.Admin.Calls);
    }

    [Fact]
    public async Task Query_TooManySteps_IsAUsageErrorBeforeAnythingIsSent()
    {
        var result = await _cli.RunAsync("metrics", "query", "x", "--since", "7d", "--step", "1s", "--collector", _collector.Url);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "opsctl: --step 1s over 7d would be 604800 steps; the most is 11000. Use a larger --step, or leave it out to get about 60 steps.\n",
            result.Stderr);
        Assert.Empty(_collector.Admin.Calls);
    }

    [Fact]
    public async Task Query_SinceBeforeTheEpoch_StartsAtTheEpoch()
    {
        _collector.Admin.OnQueryMetrics = (_, _) => Task.FromResult(CpuAnswer());

        var result = await _cli.RunAsync("metrics", "query", "x", "--since", "99999w", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(0, _collector.Admin.SingleRequestOf<QueryMetricsRequest>().StartUnixMs);
    }
}
