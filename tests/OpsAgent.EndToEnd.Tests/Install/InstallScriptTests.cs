using System.Runtime.Versioning;
using System.Text.Json;
using OpsAgent.EndToEnd.Tests.Infrastructure;

namespace OpsAgent.EndToEnd.Tests.Install;

/// <summary>
/// install/linux/install.sh run for real into a staging root (<c>--root</c>) with the programs of this build
/// (<c>--from-build</c>): what lands where, that an admin's configuration survives, and what uninstall keeps.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class InstallScriptTests : IDisposable
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0640 = Mode0600 | UnixFileMode.GroupRead;
    private const UnixFileMode Mode0700 = Mode0600 | UnixFileMode.UserExecute;
    private const UnixFileMode Mode0750 = Mode0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    /// <summary>The account files systemd-sysusers keeps (when the test runs as root it creates the collector's user there).</summary>
    private static readonly string[] AccountFiles = ["/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow", "/etc/.pwd.lock"];

    private readonly StagingRoot _staging = new();

    public void Dispose() => _staging.Dispose();

    [Fact]
    public async Task Install_AgentAndCollector_FilesLandWhereDocumented()
    {
        CommandResult result = await _staging.InstallAsync("--agent", "--collector");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("systemd was not touched", result.StandardOutput, StringComparison.Ordinal);
        string[] expected =
        [
            "/etc", "/etc/opsagent", "/etc/opsagent/agent.json", "/etc/opsagent/collector.json", "/etc/opsagent/policy.json",
            "/etc/systemd", "/etc/systemd/system",
            "/etc/systemd/system/opsagent-agent.service", "/etc/systemd/system/opsagent-collector.service",
            "/etc/sysusers.d", "/etc/sysusers.d/opsagent-collector.conf",
            "/opt", "/opt/opsagent", "/opt/opsagent/README.md", "/opt/opsagent/agent", "/opt/opsagent/collector",
            "/var", "/var/lib", "/var/lib/opsagent", "/var/lib/opsagent-collector",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), _staging.List().Except(AccountFiles));

        AssertExecutable(_staging.Path("/opt/opsagent/agent/OpsAgent.Agent"));
        AssertExecutable(_staging.Path("/opt/opsagent/collector/OpsAgent.Collector"));
        AssertSameAsSource("opsagent-agent.service", "/etc/systemd/system/opsagent-agent.service");
        AssertSameAsSource("opsagent-collector.service", "/etc/systemd/system/opsagent-collector.service");
        AssertSameAsSource("opsagent-collector.sysusers", "/etc/sysusers.d/opsagent-collector.conf");
        AssertSameAsSource("collector.json", "/etc/opsagent/collector.json");
        AssertSameAsSource("policy.json", "/etc/opsagent/policy.json");

        // Both on one host: the agent reports to the local collector's gateway.
        string agentConfig = await File.ReadAllTextAsync(_staging.Path("/etc/opsagent/agent.json"), TestContext.Current.CancellationToken);
        Assert.Contains("\"CollectorUrl\": \"https://127.0.0.1:7400\"", agentConfig, StringComparison.Ordinal);
        Assert.Contains("the agent is not enrolled and has no enrolment token", result.StandardError, StringComparison.Ordinal);

        // The agent's identity and the configuration (later: keys) are private; the collector's group may read its own.
        Assert.Equal(Mode0600, File.GetUnixFileMode(_staging.Path("/etc/opsagent/agent.json")));
        Assert.Equal(Mode0640, File.GetUnixFileMode(_staging.Path("/etc/opsagent/collector.json")));

        // The policy holds no secret, but nobody but root may change it (the agent refuses a policy others can write).
        Assert.Equal(Mode0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(_staging.Path("/etc/opsagent/policy.json")));
        Assert.Equal(Mode0700, File.GetUnixFileMode(_staging.Path("/var/lib/opsagent")));
        Assert.Equal(Mode0750, File.GetUnixFileMode(_staging.Path("/var/lib/opsagent-collector")));

        if (Environment.IsPrivilegedProcess)
        {
            string passwd = await File.ReadAllTextAsync(_staging.Path("/etc/passwd"), TestContext.Current.CancellationToken);
            Assert.Contains("opsagent-collector:x:", passwd, StringComparison.Ordinal);
            Assert.Contains(":/var/lib/opsagent-collector:/usr/sbin/nologin", passwd, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Install_AgentWithoutCollectorUrl_WarnsAndInstalledAgentStopsWithConfigError()
    {
        CommandResult result = await _staging.InstallAsync("--agent");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("has no Agent:CollectorUrl", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_staging.Path("/opt/opsagent/collector")), result.ToString());

        // The installed program with the installed configuration refuses to start with EX_CONFIG (78), which the unit's
        // RestartPreventExitStatus=78 turns into "failed" instead of a restart loop.
        await using ManagedProcess agent = ManagedProcess.Start(
            "installed agent",
            _staging.Path("/opt/opsagent/agent/OpsAgent.Agent.dll"),
            ["--state-dir", _staging.Path("/var/lib/opsagent")],
            new Dictionary<string, string> { ["OPSAGENT_CONFIG"] = _staging.Path("/etc/opsagent/agent.json") });
        int exitCode = await agent.Exited.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.True(exitCode == 78, agent.ToString());
        Assert.Contains("Agent:CollectorUrl is missing", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_SecondRun_KeepsAdminsConfigAndReplacesPrograms()
    {
        CommandResult first = await _staging.InstallAsync("--agent", "--collector-url", "https://first.example.com:7400");
        Assert.True(first.ExitCode == 0, first.ToString());
        string configPath = _staging.Path("/etc/opsagent/agent.json");
        string edited = (await File.ReadAllTextAsync(configPath, TestContext.Current.CancellationToken))
            .Replace("\"IntervalSeconds\": 10", "\"IntervalSeconds\": 30", StringComparison.Ordinal);
        await File.WriteAllTextAsync(configPath, edited, TestContext.Current.CancellationToken);
        string policyPath = _staging.Path("/etc/opsagent/policy.json");
        string policy = (await File.ReadAllTextAsync(policyPath, TestContext.Current.CancellationToken))
            .Replace("\"Enabled\": true", "\"Enabled\": false", StringComparison.Ordinal);
        await File.WriteAllTextAsync(policyPath, policy, TestContext.Current.CancellationToken);
        string leftover = _staging.Path("/opt/opsagent/agent/FromAnOlderVersion.dll");
        await File.WriteAllTextAsync(leftover, "old", TestContext.Current.CancellationToken);

        CommandResult second = await _staging.InstallAsync("--agent", "--collector-url", "https://second.example.com:7400");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(edited, await File.ReadAllTextAsync(configPath, TestContext.Current.CancellationToken));
        Assert.Contains("Kept the existing /etc/opsagent/agent.json", second.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--collector-url https://second.example.com:7400 was NOT applied", second.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(leftover), "an upgrade replaces the program directory as a whole");
        Assert.Equal(policy, await File.ReadAllTextAsync(policyPath, TestContext.Current.CancellationToken));
        Assert.Contains("Kept the existing /etc/opsagent/policy.json", second.StandardOutput, StringComparison.Ordinal);
        AssertExecutable(_staging.Path("/opt/opsagent/agent/OpsAgent.Agent"));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_staging.Path("/opt/opsagent")), e => Path.GetFileName(e).StartsWith('.'));
    }

    [Fact]
    public async Task Uninstall_KeepsConfigAndData_PurgeRemovesThem()
    {
        CommandResult install = await _staging.InstallAsync("--agent", "--collector");
        Assert.True(install.ExitCode == 0, install.ToString());
        await File.WriteAllTextAsync(_staging.Path("/var/lib/opsagent/agent-id"), "web-01", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(_staging.Path("/var/lib/opsagent-collector/opsagent.db"), "store", TestContext.Current.CancellationToken);

        CommandResult uninstall = await _staging.UninstallAsync();

        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.Equal(
            ((string[])[
                "/etc", "/etc/opsagent", "/etc/opsagent/agent.json", "/etc/opsagent/collector.json", "/etc/opsagent/policy.json",
                "/etc/systemd", "/etc/systemd/system", "/etc/sysusers.d", "/opt",
                "/var", "/var/lib", "/var/lib/opsagent", "/var/lib/opsagent/agent-id",
                "/var/lib/opsagent-collector", "/var/lib/opsagent-collector/opsagent.db",
            ]).Order(StringComparer.Ordinal),
            _staging.List().Except(AccountFiles));

        CommandResult again = await _staging.UninstallAsync();
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("The agent is not installed", again.StandardOutput, StringComparison.Ordinal);

        CommandResult purge = await _staging.UninstallAsync("--purge");

        Assert.True(purge.ExitCode == 0, purge.ToString());
        Assert.Equal(
            ["/etc", "/etc/systemd", "/etc/systemd/system", "/etc/sysusers.d", "/opt", "/var", "/var/lib"],
            _staging.List().Except(AccountFiles));
    }

    [Fact]
    public async Task Uninstall_AgentOnly_LeavesCollectorInstalled()
    {
        CommandResult install = await _staging.InstallAsync("--agent", "--collector");
        Assert.True(install.ExitCode == 0, install.ToString());

        CommandResult uninstall = await _staging.UninstallAsync("--agent");

        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.False(Directory.Exists(_staging.Path("/opt/opsagent/agent")));
        Assert.False(File.Exists(_staging.Path("/etc/systemd/system/opsagent-agent.service")));
        AssertExecutable(_staging.Path("/opt/opsagent/collector/OpsAgent.Collector"));
        Assert.True(File.Exists(_staging.Path("/etc/systemd/system/opsagent-collector.service")));
        Assert.True(File.Exists(_staging.Path("/opt/opsagent/README.md")));
    }

    [Fact]
    public async Task InstalledAgent_WithInstalledPolicy_LoadsIt()
    {
        CommandResult install = await _staging.InstallAsync("--agent", "--collector-url", "http://127.0.0.1:9");
        Assert.True(install.ExitCode == 0, install.ToString());
        string policy = _staging.Path("/etc/opsagent/policy.json");

        // The policy as shipped and installed passes the installed program's start-up checks (a bad one exits with 78).
        await using ManagedProcess agent = ManagedProcess.Start(
            "installed agent",
            _staging.Path("/opt/opsagent/agent/OpsAgent.Agent.dll"),
            ["--state-dir", _staging.Path("/var/lib/opsagent"), "--Agent:Commands:PolicyFile=" + policy],
            new Dictionary<string, string> { ["OPSAGENT_CONFIG"] = _staging.Path("/etc/opsagent/agent.json") });

        await agent.WaitForOutputAsync($"Command policy {policy} loaded", TimeSpan.FromSeconds(60));
        Assert.Contains("diagnostics allowed", agent.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://collector:7400")]
    [InlineData("collector.example.com:7400")]
    [InlineData("http://x\"; rm -rf /")]
    public async Task Install_InvalidCollectorUrl_RefusesWithoutInstallingAnything(string url)
    {
        CommandResult result = await _staging.InstallAsync("--agent", "--collector-url", url);

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("is not an http:// or https:// URL", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(_staging.List());
    }

    [Theory]
    [InlineData("--collector-url", "http://collector.example.com:7400", "is plain HTTP to another host")]
    [InlineData("--enrollment-token", "oe_123_456", "is not an enrolment token")]
    public async Task Install_InsecureUrlOrMalformedToken_RefusesWithoutInstallingAnything(string option, string value, string expected)
    {
        CommandResult result = await _staging.InstallAsync("--agent", option, value);

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
        Assert.Empty(_staging.List());
    }

    [Fact]
    public async Task Install_AgentWithoutToken_WarnsAndInstalledAgentStopsSayingHowToEnrol()
    {
        CommandResult result = await _staging.InstallAsync("--agent", "--collector-url", "https://127.0.0.1:1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("the agent is not enrolled and has no enrolment token", result.StandardError, StringComparison.Ordinal);

        await using ManagedProcess agent = ManagedProcess.Start(
            "installed agent",
            _staging.Path("/opt/opsagent/agent/OpsAgent.Agent.dll"),
            ["--state-dir", _staging.Path("/var/lib/opsagent")],
            new Dictionary<string, string>
            {
                ["OPSAGENT_CONFIG"] = _staging.Path("/etc/opsagent/agent.json"),
                ["OPSAGENT_Agent__Enrollment__TokenFile"] = _staging.Path("/etc/opsagent/enrollment-token"),
            });
        int exitCode = await agent.Exited.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.True(exitCode == 78, agent.ToString());
        Assert.Contains("is not enrolled with the collector at https://127.0.0.1:1 and has no enrolment token", agent.Output, StringComparison.Ordinal);
        Assert.Contains("opsctl tokens create --expires 1h", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_BadArguments_FailWithAdvice()
    {
        CommandResult unknown = await StagingRoot.RunScriptAsync(["--agnet"]);

        Assert.True(unknown.ExitCode != 0, unknown.ToString());
        Assert.Contains("unknown option '--agnet'", unknown.StandardError, StringComparison.Ordinal);

        CommandResult purgeAlone = await StagingRoot.RunScriptAsync(["--purge", "--root", _staging.Root]);
        Assert.True(purgeAlone.ExitCode != 0, purgeAlone.ToString());
        Assert.Contains("--purge only goes with --uninstall", purgeAlone.StandardError, StringComparison.Ordinal);
    }

    /// <summary>
    /// The programs and configuration files as installed work together, securely: the staged collector with the shipped
    /// collector.json (TLS, its own CA, the first admin credential in admin.json), and the staged agent installed with
    /// --collector-url and --enrollment-token, which enrols at its first start and then reports over mutual TLS.
    /// </summary>
    [Fact]
    public async Task InstalledPrograms_WithInstalledConfigs_AgentEnrolsAndReportsToCollector()
    {
        CommandResult collectorInstall = await _staging.InstallAsync("--collector");
        Assert.True(collectorInstall.ExitCode == 0, collectorInstall.ToString());

        // The listeners move to free loopback ports: 7400-7402 may be taken on a shared machine.
        int gatewayPort = FreePorts.Next();
        int adminPort = FreePorts.Next();
        string data = _staging.Path("/var/lib/opsagent-collector");
        await using ManagedProcess collector = ManagedProcess.Start(
            "installed collector",
            _staging.Path("/opt/opsagent/collector/OpsAgent.Collector.dll"),
            [
                "--data-dir", data,
                "--gateway", $"https://127.0.0.1:{gatewayPort}", "--admin", $"https://127.0.0.1:{adminPort}", "--metrics", "http://127.0.0.1:0",
            ],
            new Dictionary<string, string> { ["OPSAGENT_COLLECTOR_CONFIG"] = _staging.Path("/etc/opsagent/collector.json") });

        // The admin's first step on a new collector: its admin credential, then an enrolment token for the new host.
        string adminConfig = Path.Combine(data, "admin.json");
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(adminConfig)), TimeSpan.FromSeconds(60), "the collector's admin.json", () => collector.ToString());
        Assert.Equal(Mode0600, File.GetUnixFileMode(adminConfig));
        Assert.Equal(Mode0700, File.GetUnixFileMode(Path.Combine(data, "pki")));
        Assert.Equal(Mode0600, File.GetUnixFileMode(Path.Combine(data, "pki", "ca.key")));
        var opsctl = new Dictionary<string, string> { ["OPSCTL_CONFIG"] = adminConfig };
        OpsctlResult token = await Opsctl.RunAsync(opsctl, "tokens", "create", "--expires", "10m", "--labels", "env=installed");
        Assert.True(token.ExitCode == 0, token.Output);

        CommandResult agentInstall = await _staging.InstallAsync(
            "--agent", "--collector-url", $"https://127.0.0.1:{gatewayPort}", "--enrollment-token", token.StandardOutput.Trim());
        Assert.True(agentInstall.ExitCode == 0, agentInstall.ToString());
        Assert.Equal(Mode0600, File.GetUnixFileMode(_staging.Path("/etc/opsagent/enrollment-token")));
        await using ManagedProcess agent = ManagedProcess.Start(
            "installed agent",
            _staging.Path("/opt/opsagent/agent/OpsAgent.Agent.dll"),
            ["--state-dir", _staging.Path("/var/lib/opsagent"), "--interval", "1"],
            new Dictionary<string, string>
            {
                ["OPSAGENT_CONFIG"] = _staging.Path("/etc/opsagent/agent.json"),
                // The installed agent.json names /etc/opsagent/enrollment-token of the target system: here, the staged one.
                ["OPSAGENT_Agent__Enrollment__TokenFile"] = _staging.Path("/etc/opsagent/enrollment-token"),
            });

        string connectedJson = await Eventually.GetAsync(
            async () =>
            {
                OpsctlResult agents = await Opsctl.RunAsync(opsctl, "agents", "--connected", "-o", "json");
                return agents.ExitCode == 0 && JsonDocument.Parse(agents.StandardOutput).RootElement.GetProperty("agents").EnumerateArray()
                    .FirstOrDefault(a => a.GetProperty("batchesStored").GetUInt64() > 0) is { ValueKind: JsonValueKind.Object } found
                    ? found.GetRawText()
                    : null;
            },
            TimeSpan.FromSeconds(60),
            "the installed agent to enrol, connect and deliver a batch",
            () => collector + "\n" + agent);
        JsonElement connected = JsonDocument.Parse(connectedJson).RootElement;

        Assert.Equal(Environment.MachineName, connected.GetProperty("hostname").GetString(), ignoreCase: true);
        Assert.Equal("installed", connected.GetProperty("labels").GetProperty("env").GetString());
        Assert.Equal(Mode0600, File.GetUnixFileMode(_staging.Path("/var/lib/opsagent/identity/agent.pem")));
        Assert.False(collector.HasExited, collector.ToString());
        Assert.False(agent.HasExited, agent.ToString());
    }

    private void AssertSameAsSource(string sourceName, string installedPath) =>
        Assert.Equal(
            File.ReadAllText(Path.Combine(StagingRoot.LinuxSources, sourceName)),
            File.ReadAllText(_staging.Path(installedPath)));

    private static void AssertExecutable(string path)
    {
        Assert.True(File.Exists(path), path + " is missing");
        Assert.True((File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0, path + " is not executable");
    }
}
