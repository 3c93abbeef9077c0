using OpsAgent.EndToEnd.Tests.Infrastructure;

namespace OpsAgent.EndToEnd.Tests.Install;

/// <summary>
/// The units are <c>Type=notify</c>: systemd considers a service started only when it sends READY=1 to
/// $NOTIFY_SOCKET, and kills it after TimeoutStartSec= if it never does. These tests own that socket and start the
/// real processes with it, as systemd would (without being their parent).
/// </summary>
public sealed class SystemdNotifyTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Agent_NotifySocketSet_SendsReadyThenStoppingOnSigterm()
    {
        using var notify = new NotifySocket(Path.Combine(_dir.Path, "notify.sock"));

        // Nothing listens on port 1: the agent starts and keeps retrying its uplink, which is how it runs while the
        // collector is down. READY=1 means "started", not "connected".
        await using ManagedProcess agent = AgentProcess.Start(
            "http://127.0.0.1:1", _dir.Sub("state"), "notify-agent", environment: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });

        await notify.WaitForAsync("READY=1", StartTimeout, () => agent.ToString());
        Assert.False(agent.HasExited, agent.ToString());

        int exitCode = await agent.StopAsync(TimeSpan.FromSeconds(30));
        await notify.WaitForAsync("STOPPING=1", TimeSpan.FromSeconds(10), () => agent.ToString());
        Assert.True(exitCode == 0, agent.ToString());
        Assert.Equal(["READY=1", "STOPPING=1"], notify.Received);
    }

    [Fact]
    public async Task Collector_NotifySocketSet_SendsReadyOnlyOnceServingThenStoppingOnSigterm()
    {
        using var notify = new NotifySocket(Path.Combine(_dir.Path, "notify.sock"));
        string config = Path.Combine(_dir.Path, "collector.json");
        await File.WriteAllTextAsync(config, "{}", TestContext.Current.CancellationToken);

        await using ManagedProcess collector = ManagedProcess.Start(
            "collector",
            Binaries.Collector,
            ["--config", config, "--data-dir", _dir.Sub("data"), "--gateway", "https://127.0.0.1:0", "--admin", "https://127.0.0.1:0", "--metrics", "http://127.0.0.1:0"],
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });

        await notify.WaitForAsync("READY=1", StartTimeout, () => collector.ToString());
        string endpointsFile = Path.Combine(_dir.Path, "data", "endpoints.json");
        string metricsUrl = await Eventually.GetAsync(
            async () => File.Exists(endpointsFile)
                ? System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(endpointsFile)).RootElement.GetProperty("metrics").GetString()
                : null,
            TimeSpan.FromSeconds(10),
            "the collector's endpoints.json",
            () => collector.ToString());

        // Units ordered After= the collector start when it says READY=1: by then it must answer, on the first try.
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            string health = await http.GetStringAsync(new Uri(metricsUrl + "/healthz"), TestContext.Current.CancellationToken);
            Assert.Equal("ok\n", health);
        }

        int exitCode = await collector.StopAsync(TimeSpan.FromSeconds(30));
        await notify.WaitForAsync("STOPPING=1", TimeSpan.FromSeconds(10), () => collector.ToString());
        Assert.True(exitCode == 0, collector.ToString());
        Assert.Equal(["READY=1", "STOPPING=1"], notify.Received);
    }
}
