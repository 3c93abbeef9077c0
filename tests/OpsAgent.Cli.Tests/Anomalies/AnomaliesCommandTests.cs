using System.Text.Json;
using OpsAgent.Cli.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Tests.Anomalies;

public sealed class AnomaliesCommandTests : IAsyncLifetime
{
    private readonly CliRunner _cli = new();
    private ScriptedCollector _collector = null!;

    public async ValueTask InitializeAsync() =>
        _collector = await ScriptedCollector.StartAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _collector.DisposeAsync();

    [Fact]
    public async Task Anomalies_Table_ShowsStateIncidentAndSummary()
    {
        _collector.Admin.OnListAnomalies = (_, _) => Task.FromResult(new ListAnomaliesResponse { Anomalies = { Detections.Spike(), Detections.DiskFilling() } });

        var result = await _cli.RunAsync("anomalies", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            ID  STARTED  HOST   SEVERITY  STATE               INCIDENT  WHAT
            12  5m ago   web-1  critical  open (5m)           #5        system.cpu.utilization{cpu=0} on web-1 at 97% (usually 10% to 40%)
            11  3h ago   db-1   warning   recovered after 1h  #4        filesystem /var on db-1 full in ~4h (at least 3h, 99% sure; now 80%)
            """,
            result.Text);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task Anomalies_Options_AreSentAsOneRequest()
    {
        _collector.Admin.OnListAnomalies = (_, _) => Task.FromResult(new ListAnomaliesResponse());

        var result = await _cli.RunAsync(
            "anomalies", "--since", "2h", "--host", "web-1", "--metric", "system.cpu", "--open", "--limit", "7", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("No anomaly is open.\n", result.Stdout);
        var request = _collector.Admin.SingleRequest<ListAnomaliesRequest>();
        Assert.Equal(CliRunner.Ago(TimeSpan.FromHours(2)), request.SinceUnixMs);
        Assert.Equal(CliRunner.UnixMs(CliRunner.Now), request.UntilUnixMs);
        Assert.Equal(("web-1", "system.cpu", true, 7u), (request.Host, request.Metric, request.OpenOnly, request.Limit));
    }

    [Fact]
    public async Task Anomalies_Json_HasEveryFieldWithNullsForUnknowns()
    {
        _collector.Admin.OnListAnomalies = (_, _) => Task.FromResult(new ListAnomaliesResponse { Anomalies = { Detections.DiskFilling() }, Truncated = true });

        var result = await _cli.RunAsync("anomalies", "-o", "json", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        using var document = JsonDocument.Parse(result.Stdout);
        var anomaly = document.RootElement.GetProperty("anomalies")[0];
        Assert.Equal(11, anomaly.GetProperty("id").GetInt32());
        Assert.Equal("exhaustion", anomaly.GetProperty("kind").GetString());
        Assert.Equal("resolved", anomaly.GetProperty("state").GetString());
        Assert.Equal("recovered", anomaly.GetProperty("resolution").GetString());
        Assert.Equal("/var", anomaly.GetProperty("labels").GetProperty("mountpoint").GetString());
        Assert.Equal(JsonValueKind.Null, anomaly.GetProperty("usualLow").ValueKind);
        Assert.Equal(14400, anomaly.GetProperty("forecast").GetProperty("timeToExhaustionSeconds").GetDouble());
        Assert.Equal(JsonValueKind.Null, anomaly.GetProperty("forecast").GetProperty("latestSeconds").ValueKind);
        Assert.Equal("2025-01-31T05:15:00.000Z", anomaly.GetProperty("started").GetString());
        Assert.True(document.RootElement.GetProperty("truncated").GetBoolean());
        Assert.Contains("only the newest 1 anomalies", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anomalies_SinceAfterUntil_IsAUsageError()
    {
        var result = await _cli.RunAsync("anomalies", "--since", "1h", "--until", "2h", "--collector", _collector.Url);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("opsctl: --since (", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(_collector.Admin.Calls);
    }

    [Fact]
    public async Task Anomalies_BadLimit_IsAUsageError()
    {
        var result = await _cli.RunAsync("anomalies", "--limit", "0", "--collector", _collector.Url);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--limit must be between 1 and 5000.", result.Stderr, StringComparison.Ordinal);
    }
}
