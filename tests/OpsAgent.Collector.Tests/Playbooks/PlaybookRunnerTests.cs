using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using OpsAgent.Collector.Notifications;
using OpsAgent.Collector.Observability;
using OpsAgent.Collector.Playbooks;
using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Collector.Storage;
using OpsAgent.Collector.Tests.Notifications;
using OpsAgent.Protocol;
using static OpsAgent.Collector.Tests.Playbooks.Engine.EngineHarness;

namespace OpsAgent.Collector.Tests.Playbooks;

/// <summary>
/// The whole feature as the collector will host it: AddTelemetryStore + AddPlaybooks + AddNotifications in a real host,
/// a playbook file in the data directory, events posted to the runner, the timer ticking on fake time, decisions at a
/// handler and notifications at a real webhook receiver.
/// </summary>
public sealed class PlaybookRunnerTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "opsagent-playbook-host-tests", Guid.NewGuid().ToString("N"));

    private static CancellationToken Deadline => CancellationTokenSource.CreateLinkedTokenSource(
        TestContext.Current.CancellationToken, new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token).Token;

    [Fact]
    public async Task AddPlaybooks_InAHost_CarriesATriggerThroughApprovalAndVerificationToEscalation()
    {
        var time = new FakeTimeProvider(Start);
        await using WebhookReceiver webhook = await WebhookReceiver.StartAsync(time, Deadline);
        Directory.CreateDirectory(Path.Combine(_dataDirectory, "playbooks"));
        File.WriteAllText(Path.Combine(_dataDirectory, "playbooks", "fix-nginx.yaml"), Playbook(guards: "cooldown: 0s\napproval_required: true", verify: "1m"));
        var recorder = new RecordingHandler();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        ConfigurationManager configuration = builder.Configuration;
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Collector:DataDirectory"] = _dataDirectory,
            ["Collector:Notifications:Receivers:ops:Url"] = webhook.Url + "/hook",
            ["Collector:Notifications:Receivers:ops:Timeout"] = "5m",
        });
        builder.Services.AddLogging();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IPlaybookDecisionHandler, ThrowingHandler>();
        builder.Services.AddSingleton<IPlaybookDecisionHandler>(recorder);
        builder.Services.AddTelemetryStore(configuration).AddPlaybooks(configuration).AddNotifications(configuration);
        using IHost host = builder.Build();

        await host.StartAsync(Deadline);
        PlaybookRunner runner = host.Services.GetRequiredService<PlaybookRunner>();
        await runner.Started.WaitAsync(Deadline);

        await runner.PostAsync(new PlaybookInput.TriggerRaised(Trigger()), Deadline);
        PlaybookDecision.RequestApproval request = await recorder.WaitForAsync<PlaybookDecision.RequestApproval>();
        await WaitUntilAsync(() => webhook.Requests.Count == 1);
        Assert.Equal("OpsAgentApprovalRequired", Labels(webhook.Requests.Single())["alertname"]);

        await runner.PostAsync(new PlaybookInput.ApprovalDecided(request.Command.CommandId, true, "user:bob", ""), Deadline);
        Command command = (await recorder.WaitForAsync<PlaybookDecision.SendCommand>()).Command;
        Assert.Equal(request.Command.CommandId, command.CommandId);
        await runner.PostAsync(new PlaybookInput.CommandResultReceived("agent-1", new CommandResult { CommandId = command.CommandId, Status = CommandStatus.Succeeded }), Deadline);
        await WaitUntilAsync(() => runner.Runs.Single().State == RunState.Verifying);

        // No event arrives: the runner's timer (on the fake clock) notices the verify window ran out.
        time.Advance(TimeSpan.FromMinutes(1));
        PlaybookDecision.EscalateIncident escalation = await recorder.WaitForAsync<PlaybookDecision.EscalateIncident>();
        Assert.Contains("could not fix incident inc-1 on web-1", escalation.Message, StringComparison.Ordinal);
        await WaitUntilAsync(() => webhook.Requests.Count == 2);
        Dictionary<string, string> labels = Labels(webhook.Requests.Last());
        Assert.Equal(("OpsAgentIncident", "critical", "inc-1"), (labels["alertname"], labels["severity"], labels["incident"]));

        var metrics = new PrometheusTextWriter();
        host.Services.GetRequiredService<PlaybookCounters>().WriteTo(metrics);
        Assert.Contains("opsagent_playbook_runs_ended_total{playbook=\"fix-nginx\",outcome=\"escalated\"} 1", metrics.ToString(), StringComparison.Ordinal);
        Assert.Contains("opsagent_playbooks_loaded 1", metrics.ToString(), StringComparison.Ordinal);
        await host.StopAsync(Deadline);

        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dataDirectory, "opsagent.db")};Pooling=False");
        connection.Open();
        using SqliteCommand query = connection.CreateCommand();
        query.CommandText = "SELECT (SELECT version FROM schema_versions WHERE component = 'playbooks') || ' ' || (SELECT count(*) FROM playbook_runs WHERE ended_unix_ms IS NOT NULL);";
        Assert.Equal("1 1", query.ExecuteScalar());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static Dictionary<string, string> Labels(ReceivedRequest request)
    {
        using JsonDocument json = JsonDocument.Parse(request.Body);
        return json.RootElement.GetProperty("alerts")[0].GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        CancellationToken deadline = Deadline;
        while (!condition())
        {
            await Task.Delay(5, deadline);
        }
    }

    private sealed class RecordingHandler : IPlaybookDecisionHandler
    {
        private readonly ConcurrentQueue<PlaybookDecision> _decisions = new();

        public ValueTask HandleAsync(IReadOnlyList<PlaybookDecision> decisions, CancellationToken cancellationToken)
        {
            foreach (PlaybookDecision decision in decisions)
            {
                _decisions.Enqueue(decision);
            }

            return ValueTask.CompletedTask;
        }

        public async Task<T> WaitForAsync<T>()
            where T : PlaybookDecision
        {
            await WaitUntilAsync(() => _decisions.OfType<T>().Any());
            return _decisions.OfType<T>().Single();
        }
    }

    /// <summary>A handler that always fails: the runner must log it and still reach the other handlers.</summary>
    private sealed class ThrowingHandler : IPlaybookDecisionHandler
    {
        public ValueTask HandleAsync(IReadOnlyList<PlaybookDecision> decisions, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("handler failure injected by the test");
    }
}
