using System.Text.Json;
using OpsAgent.EndToEnd.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.EndToEnd.Tests;

/// <summary>The walking skeleton with real processes: agent → collector (SQLite store) → admin API and opsctl.</summary>
public sealed class FoundationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Dictionary<string, string> OpsctlEnvironment(CollectorProcess collector) => new() { ["OPSAGENT_COLLECTOR"] = collector.AdminUrl };

    [Fact]
    public async Task Agent_StreamingHostMetrics_VisibleThroughOpsctlAndAdminApi()
    {
        await using CollectorProcess collector = await CollectorProcess.StartAsync(_dir.Sub("collector"));
        await using ManagedProcess agent = AgentProcess.Start(collector.GatewayUrl, _dir.Sub("agent"), "e2e-agent-1", ["--Agent:Labels:env=e2e"]);
        string diagnostics() => collector.Process + "\n" + agent;

        // Live host metrics arrive: several samples of CPU utilisation from the real /proc.
        QueryMetricsResponse cpu = await Eventually.GetAsync(
            async () =>
            {
                QueryMetricsResponse r = await collector.Admin.QueryMetricsAsync(
                    new QueryMetricsRequest { Name = "system.cpu.utilization", StartUnixMs = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds() },
                    cancellationToken: TestContext.Current.CancellationToken);
                return r.Series.Any(s => s.Values.Count >= 3) ? r : null;
            },
            TimeSpan.FromSeconds(60),
            "three samples of system.cpu.utilization",
            diagnostics);
        SeriesPoints total = Assert.Single(cpu.Series, s => s.Series.Labels.All(l => l.Key is "host" or "agent_id" or "env"));
        Assert.All(total.Values, v => Assert.InRange(v, 0, 1));
        Assert.Contains(total.Series.Labels, l => l.Key == "env" && l.Value == "e2e");

        // opsctl agents: the agent, connected, with its labels.
        OpsctlResult agents = await Opsctl.RunAsync(OpsctlEnvironment(collector), "agents", "--output", "json");
        Assert.True(agents.ExitCode == 0, agents.Output);
        JsonElement listed = Assert.Single(JsonDocument.Parse(agents.StandardOutput).RootElement.GetProperty("agents").EnumerateArray());
        Assert.Equal("e2e-agent-1", listed.GetProperty("agentId").GetString());
        Assert.True(listed.GetProperty("connected").GetBoolean());
        Assert.Equal("e2e", listed.GetProperty("labels").GetProperty("env").GetString());

        // opsctl metrics query: the same series with points, as JSON for a pipeline and as a table with a sparkline.
        OpsctlResult query = await Opsctl.RunAsync(OpsctlEnvironment(collector),
            "metrics", "query", "system.cpu.utilization", "--host", Environment.MachineName, "--since", "5m", "--step", "1s", "--output", "json");
        Assert.True(query.ExitCode == 0, query.Output);
        JsonElement[] series = [.. JsonDocument.Parse(query.StandardOutput).RootElement.GetProperty("series").EnumerateArray()];
        Assert.Contains(series, s => s.GetProperty("points").EnumerateArray().Count(p => p.GetProperty("value").ValueKind == JsonValueKind.Number) >= 3);

        OpsctlResult table = await Opsctl.RunAsync(OpsctlEnvironment(collector), "metrics", "query", "system.memory.usage", "--since", "5m", "--step", "1s");
        Assert.True(table.ExitCode == 0, table.Output);
        Assert.Contains("state=used", table.StandardOutput, StringComparison.Ordinal);
        Assert.Matches("[▁▂▃▄▅▆▇█]", table.StandardOutput);

        // The filesystem and the agent's own health are there too.
        ListSeriesResponse all = await collector.Admin.ListSeriesAsync(new ListSeriesRequest { Limit = 5000 }, cancellationToken: TestContext.Current.CancellationToken);
        string[] names = [.. all.Series.Select(s => s.Name).Distinct()];
        Assert.Contains("system.filesystem.utilization", names);
        Assert.Contains("system.network.io", names);
        Assert.Contains("opsagent.outbox.batches", names);

        // A clean stop of both.
        Assert.Equal(0, await agent.StopAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await collector.StopAsync());
    }

    [Fact]
    public async Task Collector_KilledAndRestarted_AgentReconnectsAndDataFlowsAgain()
    {
        await using CollectorProcess collector = await CollectorProcess.StartAsync(_dir.Sub("collector"), fixedPorts: true);
        await using ManagedProcess agent = AgentProcess.Start(collector.GatewayUrl, _dir.Sub("agent"), "e2e-agent-2");
        string diagnostics() => collector.Process + "\n" + agent;

        long firstSample = await NewestUptimeSampleAsync(collector, 0, diagnostics);
        await collector.KillAsync();
        long killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);

        await collector.StartProcessAsync();

        // Data sampled after the restart arrives, and the agent shows as connected again.
        long afterRestart = await NewestUptimeSampleAsync(collector, killedAt + 1, diagnostics);
        Assert.True(afterRestart > firstSample);
        ListAgentsResponse agents = await collector.Admin.ListAgentsAsync(new ListAgentsRequest { ConnectedOnly = true }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains(agents.Agents, a => a.AgentId == "e2e-agent-2");
        Assert.Contains("Connected to collector", agent.Output, StringComparison.Ordinal);
        Assert.Contains("Lost or could not open the stream", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Collector_StoppedWhileAgentConnected_ExitsCleanlyAndTellsTheAgentWhy()
    {
        await using CollectorProcess collector = await CollectorProcess.StartAsync(_dir.Sub("collector"));
        await using ManagedProcess agent = AgentProcess.Start(collector.GatewayUrl, _dir.Sub("agent"), "e2e-agent-3");
        await NewestUptimeSampleAsync(collector, 0, () => collector.Process + "\n" + agent);

        // The agent's stream never ends by itself; a stop must end it instead of waiting out the shutdown timeout
        // (which used to leave the detectors and the store no time and abort the process).
        Assert.Equal(0, await collector.StopAsync());
        await agent.WaitForOutputAsync("the collector is shutting down", TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("Unhandled exception", collector.Process!.Output, StringComparison.Ordinal);
        Assert.Contains("Detection stopped after saving every detector", collector.Process.Output, StringComparison.Ordinal);
    }

    private static async Task<long> NewestUptimeSampleAsync(CollectorProcess collector, long after, Func<string> diagnostics)
    {
        SeriesPoints points = await Eventually.GetAsync(
            async () =>
            {
                QueryMetricsResponse r = await collector.Admin.QueryMetricsAsync(
                    new QueryMetricsRequest { Name = "system.uptime", StartUnixMs = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds() },
                    cancellationToken: TestContext.Current.CancellationToken);
                SeriesPoints? s = r.Series.FirstOrDefault();
                return s is not null && s.TimestampsUnixMs.Count > 0 && s.TimestampsUnixMs[^1] > after ? s : null;
            },
            TimeSpan.FromSeconds(60),
            $"a system.uptime sample after {after}",
            diagnostics);
        return points.TimestampsUnixMs[^1];
    }
}
