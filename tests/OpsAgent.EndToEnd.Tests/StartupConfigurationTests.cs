using OpsAgent.EndToEnd.Tests.Infrastructure;

namespace OpsAgent.EndToEnd.Tests;

/// <summary>A bad configuration stops the real processes at start-up with a message that names the key and the fix.</summary>
public sealed class StartupConfigurationTests : IDisposable
{
    private const int ExitConfig = 78;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<(int ExitCode, string Output)> RunToExitAsync(string dll, params string[] args)
    {
        await using ManagedProcess process = ManagedProcess.Start("under test", dll, args);
        int code = await process.Exited.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        return (code, process.Output);
    }

    [Fact]
    public async Task Agent_NoCollectorUrl_ExitsWithConfigErrorNamingKey()
    {
        string config = Path.Combine(_dir.Path, "agent.json");
        await File.WriteAllTextAsync(config, """{ "Agent": { "StateDirectory": "STATE" } }""".Replace("STATE", _dir.Sub("state"), StringComparison.Ordinal), TestContext.Current.CancellationToken);

        (int code, string output) = await RunToExitAsync(Binaries.Agent, "--config", config);

        Assert.Equal(ExitConfig, code);
        Assert.Contains("Agent:CollectorUrl is missing", output, StringComparison.Ordinal);
        Assert.Contains(config, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_BrokenJson_ExitsWithConfigErrorNamingFile()
    {
        string config = Path.Combine(_dir.Path, "agent.json");
        await File.WriteAllTextAsync(config, "{ \"Agent\": { \"CollectorUrl\": ", TestContext.Current.CancellationToken);

        (int code, string output) = await RunToExitAsync(Binaries.Agent, "--config", config);

        Assert.Equal(ExitConfig, code);
        Assert.Contains("cannot read its configuration", output, StringComparison.Ordinal);
        Assert.Contains(config, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_MissingExplicitConfigFile_ExitsWithConfigError()
    {
        string missing = Path.Combine(_dir.Path, "nope.json");

        (int code, string output) = await RunToExitAsync(Binaries.Agent, "--config", missing);

        Assert.Equal(ExitConfig, code);
        Assert.Contains($"The configuration file {missing} does not exist", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_InvalidInterval_ExitsListingEveryProblem()
    {
        string config = Path.Combine(_dir.Path, "agent.json");
        await File.WriteAllTextAsync(config, "{}", TestContext.Current.CancellationToken);

        (int code, string output) = await RunToExitAsync(Binaries.Agent, "--config", config,
            "--collector", "ftp://x", "--interval", "0", "--state-dir", _dir.Sub("s"));

        Assert.Equal(ExitConfig, code);
        Assert.Contains("Agent:CollectorUrl 'ftp://x' is not an http:// or https:// URL", output, StringComparison.Ordinal);
        Assert.Contains("Agent:Metrics:IntervalSeconds must be between 1 and 3600; got 0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_InvalidPolicy_ExitsListingPolicyProblemsWithConfigProblems()
    {
        string config = Path.Combine(_dir.Path, "agent.json");
        await File.WriteAllTextAsync(config, "{}", TestContext.Current.CancellationToken);
        string policy = Path.Combine(_dir.Path, "policy.json");
        await File.WriteAllTextAsync(policy, """{ "Services": [ { "Name": "nginx", "Operations": ["reboot"] } ] }""", TestContext.Current.CancellationToken);

        (int code, string output) = await RunToExitAsync(Binaries.Agent, "--config", config,
            "--collector", "http://127.0.0.1:9", "--state-dir", _dir.Sub("s"),
            "--Agent:Commands:PolicyFile=" + policy, "--Agent:Commands:QueueCapacity=0");

        Assert.Equal(ExitConfig, code);
        Assert.Contains($"Policy file {policy}: Services[0].Operations: 'reboot' is not an operation", output, StringComparison.Ordinal);
        Assert.Contains("Agent:Commands:QueueCapacity must be between 1 and 1024; got 0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_InvalidOutboxSettings_ExitsNamingEachKey()
    {
        string config = Path.Combine(_dir.Path, "agent.json");
        await File.WriteAllTextAsync(config, "{}", TestContext.Current.CancellationToken);

        (int code, string output) = await RunToExitAsync(Binaries.Agent, "--config", config, "--collector", "http://127.0.0.1:1",
            "--state-dir", _dir.Sub("s"), "--Agent:Outbox:MaxDiskBytes=1000", "--Agent:Outbox:MaxMemoryBytes=10", "--Agent:Outbox:FsyncInterval=00:05:00");
        (int badEnumCode, string badEnumOutput) = await RunToExitAsync(Binaries.Agent, "--config", config, "--collector", "http://127.0.0.1:1",
            "--state-dir", _dir.Sub("s2"), "--Agent:Outbox:Fsync=Sometimes");

        Assert.Equal(ExitConfig, code);
        Assert.Contains("Agent:Outbox:MaxDiskBytes must be at least 1048576 (1 MiB); got 1000", output, StringComparison.Ordinal);
        Assert.Contains("Agent:Outbox:MaxMemoryBytes must be at least 65536 (64 KiB); got 10", output, StringComparison.Ordinal);
        Assert.Contains("Agent:Outbox:FsyncInterval must be between", output, StringComparison.Ordinal);
        Assert.Equal(ExitConfig, badEnumCode);
        Assert.Contains("Agent:Outbox:Fsync", badEnumOutput, StringComparison.Ordinal);
        Assert.Contains("Sometimes", badEnumOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Collector_HostnameAsListenAddress_ExitsWithConfigErrorNamingKey()
    {
        (int code, string output) = await RunToExitAsync(Binaries.Collector,
            "--data-dir", _dir.Sub("data"), "--gateway", "http://collector.example.com:7400", "--config", WriteEmpty());

        Assert.Equal(ExitConfig, code);
        Assert.Contains("Collector:Endpoints:Gateway", output, StringComparison.Ordinal);
    }

    private string WriteEmpty()
    {
        string path = Path.Combine(_dir.Path, "collector.json");
        File.WriteAllText(path, "{}");
        return path;
    }
}
