using System.Text.Json;
using OpsAgent.Cli.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Tests.Metrics;

public sealed class MetricsListCommandTests : IAsyncLifetime
{
    private readonly CliRunner _cli = new();
    private ScriptedCollector _collector = null!;

    public async ValueTask InitializeAsync() =>
        _collector = await ScriptedCollector.StartAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _collector.DisposeAsync();

    private static ListSeriesResponse SomeSeries() => new()
    {
        Series =
        {
            Fleet.Series("system.memory.usage", "web-1", "By", ("state", "used")),
            Fleet.Series("system.cpu.utilization", "web-1", "1", ("cpu", "0"), ("state", "user")),
            Fleet.Series("system.cpu.utilization", "db-1", "1", ("cpu", "0"), ("state", "user")),
            Fleet.Series("system.cpu.utilization", "web-1", "1", ("cpu", "0"), ("state", "idle")),
        },
    };

    [Fact]
    public async Task List_Table_GroupsSeriesUnderTheirMetricName()
    {
        _collector.Admin.OnListSeries = (_, _) => Task.FromResult(SomeSeries());

        var result = await _cli.RunAsync("metrics", "list", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            NAME                    HOST   LABELS            KIND   UNIT  LAST SAMPLE
            system.cpu.utilization  db-1   cpu=0,state=user  gauge  1     5s ago
                                    web-1  cpu=0,state=idle  gauge  1     5s ago
                                    web-1  cpu=0,state=user  gauge  1     5s ago
            system.memory.usage     web-1  state=used        gauge  By    5s ago
            """,
            result.Text);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task List_PrefixHostAndLabels_AreSentAsMatchers()
    {
        _collector.Admin.OnListSeries = (_, _) => Task.FromResult(new ListSeriesResponse());

        var result = await _cli.RunAsync(
            "metrics", "list", "system.cpu", "--host", "web-1", "--label", "state!=idle", "-l", "cpu=~[01]",
            "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("No series match.", result.Text);
        var request = _collector.Admin.SingleRequest<ListSeriesRequest>();
        Assert.Equal("system.cpu", request.NamePrefix);
        Assert.Equal(
            [
                new LabelMatcher { Key = "host", Op = MatchOp.Equal, Value = "web-1" },
                new LabelMatcher { Key = "state", Op = MatchOp.NotEqual, Value = "idle" },
                new LabelMatcher { Key = "cpu", Op = MatchOp.Regex, Value = "[01]" },
            ],
            request.Matchers);
    }

    [Fact]
    public async Task List_Json_IsStableCamelCaseDocument()
    {
        _collector.Admin.OnListSeries = (_, _) => Task.FromResult(new ListSeriesResponse
        {
            Series = { Fleet.Series("system.memory.usage", "web-1", "By", ("state", "used")) },
        });

        var result = await _cli.RunAsync("metrics", "list", "-o", "json", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            {
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
                  "firstSample": "2025-01-30T08:15:00.000Z",
                  "lastSample": "2025-01-31T08:14:55.000Z"
                }
              ],
              "truncated": false
            }

            """,
            result.Stdout);
    }

    [Fact]
    public async Task List_Truncated_WarnsOnStderrAndFlagsJson()
    {
        var response = SomeSeries();
        response.Truncated = true;
        _collector.Admin.OnListSeries = (_, _) => Task.FromResult(response);

        var table = await _cli.RunAsync("metrics", "list", "--collector", _collector.Url);
        var json = await _cli.RunAsync("metrics", "list", "-o", "json", "--collector", _collector.Url);

        Assert.Equal(0, table.ExitCode);
        Assert.Equal(
            "opsctl: warning: the collector returned only the first 4 series; narrow the list with a PREFIX, --host or --label.\n",
            table.Stderr);
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.True(document.RootElement.GetProperty("truncated").GetBoolean());
        Assert.Equal(4, document.RootElement.GetProperty("series").GetArrayLength());
    }

    [Theory]
    [InlineData("env", "--label 'env' has no operator")]
    [InlineData("=prod", "--label '=prod' has no key")]
    [InlineData("env!prod", "--label 'env!prod' has no valid operator")]
    [InlineData("1env=prod", "'1env' is not a label key")]
    [InlineData("cpu=~[0-", "'[0-' is not a valid regular expression")]
    public async Task List_BadLabel_IsAUsageErrorAndNothingIsSent(string label, string expected)
    {
        var result = await _cli.RunAsync("metrics", "list", "--label", label, "--collector", _collector.Url);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("opsctl: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Run 'opsctl metrics list --help' for usage.", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
        Assert.Empty(_collector.Admin.Calls);
    }
}
