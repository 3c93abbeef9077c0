using System.Text.Json;
using Grpc.Core;
using OpsAgent.Cli.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Tests.Incidents;

public sealed class IncidentsCommandTests : IAsyncLifetime
{
    private readonly CliRunner _cli = new();
    private ScriptedCollector _collector = null!;

    public async ValueTask InitializeAsync() =>
        _collector = await ScriptedCollector.StartAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _collector.DisposeAsync();

    [Fact]
    public async Task Incidents_Table_ShowsOpenAndResolved()
    {
        _collector.Admin.OnListIncidents = (_, _) => Task.FromResult(new ListIncidentsResponse { Incidents = { Detections.WebIncident(), Detections.DbIncident() } });

        var result = await _cli.RunAsync("incidents", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            ID  OPENED  HOST   SEVERITY  STATE               ANOMALIES   TITLE
            5   5m ago  web-1  critical  open (5m)           2 (1 open)  system.cpu.utilization{cpu=0} on web-1 at 97% (usually 10% to 40%) (+1 more)
            4   3h ago  db-1   warning   recovered after 1h  1           filesystem /var on db-1 full in ~4h (at least 3h, 99% sure; now 80%)
            """,
            result.Text);
        var request = _collector.Admin.SingleRequest<ListIncidentsRequest>();
        Assert.Equal(CliRunner.Ago(TimeSpan.FromDays(7)), request.SinceUnixMs);
        Assert.False(request.OpenOnly);
    }

    [Fact]
    public async Task Incidents_Open_AsksForOpenOnesAndSaysWhenThereAreNone()
    {
        _collector.Admin.OnListIncidents = (_, _) => Task.FromResult(new ListIncidentsResponse());

        var result = await _cli.RunAsync("incidents", "--open", "--host", "web-1", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("No incident is open.\n", result.Stdout);
        var request = _collector.Admin.SingleRequest<ListIncidentsRequest>();
        Assert.True(request.OpenOnly);
        Assert.Equal("web-1", request.Host);
    }

    [Fact]
    public async Task Show_Incident_ShowsDetailsAndItsAnomalies()
    {
        _collector.Admin.OnGetIncident = (_, _) => Task.FromResult(Detections.WebIncident(withAnomalies: true));

        var result = await _cli.RunAsync("incidents", "show", "#5", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(5UL, _collector.Admin.SingleRequest<GetIncidentRequest>().IncidentId);
        Assert.Contains("Host labels:  env=prod,role=web", result.Text, StringComparison.Ordinal);
        Assert.Contains("Metrics:      system.cpu.utilization, system.memory.utilization", result.Text, StringComparison.Ordinal);
        Assert.Contains("12  5m ago   web-1  critical  open (5m)  #5", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_Json_IncludesAnomalies()
    {
        _collector.Admin.OnGetIncident = (_, _) => Task.FromResult(Detections.WebIncident(withAnomalies: true));

        var result = await _cli.RunAsync("incidents", "show", "5", "-o", "json", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        using var document = JsonDocument.Parse(result.Stdout);
        Assert.Equal("open", document.RootElement.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("resolution").ValueKind);
        Assert.Equal(12, document.RootElement.GetProperty("anomalies")[0].GetProperty("id").GetInt32());
        Assert.Equal("web", document.RootElement.GetProperty("hostLabels").GetProperty("role").GetString());
    }

    [Fact]
    public async Task Show_Unknown_ExitsOneWithTheCollectorsExplanation()
    {
        _collector.Admin.OnGetIncident = (_, _) => throw new RpcException(new Status(StatusCode.NotFound, "no incident 99; run 'opsctl incidents' to list them"));

        var result = await _cli.RunAsync("incidents", "show", "99", "--collector", _collector.Url);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("opsctl: not found (NotFound): no incident 99; run 'opsctl incidents' to list them\n", result.Stderr);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-3")]
    public async Task Show_NotANumber_IsAUsageError(string id)
    {
        var result = await _cli.RunAsync("incidents", "show", id, "--collector", _collector.Url);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not an incident number", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(_collector.Admin.Calls);
    }
}
