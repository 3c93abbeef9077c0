using System.Text.Json;
using OpsAgent.Cli.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Tests.Watch;

public sealed class WatchCommandTests : IAsyncLifetime
{
    private readonly CliRunner _cli = new();
    private ScriptedCollector _collector = null!;

    public async ValueTask InitializeAsync() =>
        _collector = await ScriptedCollector.StartAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _collector.DisposeAsync();

    private static DetectionEvent[] Events() =>
    [
        new() { Sequence = 7, Type = DetectionEventType.AnomalyOpened, UnixMs = CliRunner.UnixMs(CliRunner.Now), Anomaly = Detections.Spike(), Incident = Detections.WebIncident() },
        new() { Sequence = 8, Type = DetectionEventType.IncidentOpened, UnixMs = CliRunner.UnixMs(CliRunner.Now), Anomaly = Detections.Spike(), Incident = Detections.WebIncident() },
        new() { Sequence = 10, Type = DetectionEventType.IncidentResolved, UnixMs = CliRunner.UnixMs(CliRunner.Now), Incident = Detections.DbIncident(), Dropped = 1 },
    ];

    private void ScriptEventsThenEnd()
    {
        _collector.Admin.OnWatchEvents = async (_, stream, context) =>
        {
            await context.WriteResponseHeadersAsync([]);
            foreach (var e in Events())
            {
                await stream.WriteAsync(e, context.CancellationToken);
            }
        };
    }

    [Fact]
    public async Task Watch_Events_OneLineEachThenSaysTheCollectorEndedIt()
    {
        ScriptEventsThenEnd();

        var result = await _cli.RunAsync("watch", "--host", "web-1", "--severity", "critical", "--incidents", "--collector", _collector.Url);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(
            """
            2025-01-31T08:15:00.000Z  anomaly opened      a12     web-1  critical  system.cpu.utilization{cpu=0} on web-1 at 97% (usually 10% to 40%)
            2025-01-31T08:15:00.000Z  incident opened     #5      web-1  critical  system.cpu.utilization{cpu=0} on web-1 at 97% (usually 10% to 40%) (+1 more)
            2025-01-31T08:15:00.000Z  incident resolved   #4      db-1  recovered  filesystem /var on db-1 full in ~4h (at least 3h, 99% sure; now 80%)
            """,
            result.Text);
        Assert.Contains("opsctl: watching anomalies and incidents at " + _collector.Url, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("opsctl: warning: 1 events were not shown", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("ended the watch", result.Stderr, StringComparison.Ordinal);
        var request = _collector.Admin.SingleRequest<WatchEventsRequest>();
        Assert.Equal(("web-1", AlertSeverity.Critical, true), (request.Host, request.MinSeverity, request.IncidentsOnly));
    }

    [Fact]
    public async Task Watch_Json_OneCompactDocumentPerLine()
    {
        ScriptEventsThenEnd();

        var result = await _cli.RunAsync("watch", "-o", "json", "--collector", _collector.Url);

        Assert.Equal(3, result.Lines.Length);
        using var first = JsonDocument.Parse(result.Lines[0]);
        Assert.Equal("anomaly_opened", first.RootElement.GetProperty("type").GetString());
        Assert.Equal(12, first.RootElement.GetProperty("anomaly").GetProperty("id").GetInt32());
        Assert.Equal(5, first.RootElement.GetProperty("incident").GetProperty("id").GetInt32());
        using var last = JsonDocument.Parse(result.Lines[2]);
        Assert.Equal("incident_resolved", last.RootElement.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, last.RootElement.GetProperty("anomaly").ValueKind);
        Assert.Equal(1, last.RootElement.GetProperty("dropped").GetInt32());
    }

    [Fact]
    public async Task Watch_CtrlC_StopsWithTheInterruptedCode()
    {
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _collector.Admin.OnWatchEvents = async (_, stream, context) =>
        {
            await context.WriteResponseHeadersAsync([]);
            await stream.WriteAsync(Events()[0], context.CancellationToken);
            subscribed.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        };
        using var interrupt = new CancellationTokenSource();

        var run = _cli.RunInterruptibleAsync(interrupt.Token, "watch", "--collector", _collector.Url);
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await interrupt.CancelAsync();
        var result = await run;

        Assert.Equal(130, result.ExitCode);
        Assert.EndsWith("opsctl: interrupted.\n", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_UnreachableCollector_ExitsThree()
    {
        var result = await _cli.RunAsync("watch", "--collector", ClosedPort.Url());

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("opsctl: cannot reach the collector", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_BadSeverity_IsAUsageError()
    {
        var result = await _cli.RunAsync("watch", "--severity", "loud", "--collector", _collector.Url);

        Assert.Equal(2, result.ExitCode);
    }
}
