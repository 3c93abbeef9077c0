namespace OpsAgent.EndToEnd.Tests.Install;

/// <summary>
/// The units as install.sh installs them, checked by systemd's own tools. <c>systemd-analyze verify</c> loads a unit
/// the way systemd would and also checks that ExecStart= exists, so it runs against a staging root that holds the
/// installed programs (and, for the targets the units are ordered against, a copy of this machine's system units).
/// It reports unknown keys and bad values as warnings with exit code 0: any output at all is a failure here.
/// </summary>
public sealed class SystemdUnitTests : IDisposable
{
    private const string AgentUnit = "opsagent-agent.service";
    private const string CollectorUnit = "opsagent-collector.service";
    private static readonly TimeSpan AnalyzeTimeout = TimeSpan.FromSeconds(60);
    private readonly StagingRoot _staging = new();

    public void Dispose() => _staging.Dispose();

    [Fact]
    public async Task Units_AsInstalled_PassSystemdAnalyzeVerifyWithoutAnyWarning()
    {
        await InstallWithSystemUnitsAsync();

        CommandResult verify = await VerifyAsync(AgentUnit, CollectorUnit);

        Assert.True(verify.ExitCode == 0 && verify.StandardOutput.Length == 0 && verify.StandardError.Length == 0, verify.ToString());
    }

    /// <summary>The check above is only worth something if a broken unit fails it: one mistake of each kind.</summary>
    [Theory]
    [InlineData("Restart=on-failure", "Restrat=on-failure", "Unknown key")]
    [InlineData("Type=notify", "Type=notfy", "Failed to parse service type")]
    [InlineData("ExecStart=/opt/opsagent/agent/OpsAgent.Agent", "ExecStart=/opt/opsagent/agent/OpsAgent.Agnet", "is not executable")]
    [InlineData("ProtectHome=read-only", "ProtectHome=readonly", "Failed to parse")]
    public async Task Verify_UnitWithMistake_Fails(string good, string bad, string expectedMessage)
    {
        await InstallWithSystemUnitsAsync();
        string source = await File.ReadAllTextAsync(_staging.Path("/etc/systemd/system/" + AgentUnit), TestContext.Current.CancellationToken);
        Assert.Contains(good, source, StringComparison.Ordinal);
        await File.WriteAllTextAsync(
            _staging.Path("/etc/systemd/system/opsagent-broken.service"), source.Replace(good, bad, StringComparison.Ordinal), TestContext.Current.CancellationToken);

        CommandResult verify = await VerifyAsync("opsagent-broken.service");

        Assert.False(verify.ExitCode == 0 && verify.StandardOutput.Length == 0 && verify.StandardError.Length == 0, verify.ToString());
        Assert.Contains(expectedMessage, verify.StandardError, StringComparison.Ordinal);
    }

    /// <summary>
    /// systemd's own hardening score (0 = locked down, 10 = exposed), so that a change that quietly drops a protection
    /// fails here. The agent scores higher by design: it runs as root with the capabilities self-healing needs.
    /// The limits are today's scores with systemd 252 (Debian 12); a systemd that adds checks may need them raised.
    /// </summary>
    [Theory]
    [InlineData(AgentUnit, 2.7)]
    [InlineData(CollectorUnit, 1.5)]
    public async Task Units_SecurityExposure_StaysAtMost(string unit, double maxExposure)
    {
        await InstallWithSystemUnitsAsync();

        CommandResult security = await ShellCommand.RunAsync(
            "systemd-analyze",
            ["security", "--offline=yes", $"--root={_staging.Root}", $"--threshold={(int)Math.Round(maxExposure * 10)}", "--no-pager", unit],
            AnalyzeTimeout);

        Assert.True(security.ExitCode == 0, security.ToString());
    }

    private async Task InstallWithSystemUnitsAsync()
    {
        CommandResult install = await _staging.InstallAsync("--agent", "--collector");
        Assert.True(install.ExitCode == 0, install.ToString());

        string systemUnits = Directory.Exists("/usr/lib/systemd/system") ? "/usr/lib/systemd/system" : "/lib/systemd/system";
        Directory.CreateDirectory(_staging.Path("/usr/lib/systemd"));
        CommandResult copy = await ShellCommand.RunAsync(
            "cp", ["-a", systemUnits, _staging.Path("/usr/lib/systemd/")], AnalyzeTimeout);
        Assert.True(copy.ExitCode == 0, copy.ToString());
    }

    private Task<CommandResult> VerifyAsync(params string[] units) =>
        ShellCommand.RunAsync("systemd-analyze", ["verify", $"--root={_staging.Root}", "--man=no", .. units], AnalyzeTimeout);
}
