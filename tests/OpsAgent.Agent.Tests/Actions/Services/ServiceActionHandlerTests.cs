using System.Runtime.Versioning;
using Microsoft.Extensions.Options;
using OpsAgent.Agent.Actions;
using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Agent.Actions.Services;
using OpsAgent.Agent.Commands;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Actions.Services;

/// <summary>
/// systemd cannot run here: the tests check the exact argv the agent builds, and run it for real against a stand-in
/// systemctl (a script that records the argv it was given).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ServiceActionHandlerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _argvFile;
    private readonly ActionPolicy _policy = new()
    {
        Services =
        [
            new ServiceRule { Name = "nginx", Operations = ["restart", "start"] },
            new ServiceRule { Name = "model-server.service", Operations = ["stop"] },
        ],
    };

    public ServiceActionHandlerTests()
    {
        _argvFile = Path.Combine(_dir.Path, "argv");
    }

    public void Dispose() => _dir.Dispose();

    private ServiceActionHandler Handler(string body) => new(
        Options.Create(new CommandOptions
        {
            SystemctlPath = ActionTestContext.WriteScript(Path.Combine(_dir.Path, "systemctl"), body),
        }),
        ActionTestContext.Runner());

    private ServiceActionHandler RecordingHandler() =>
        Handler($"for a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{_argvFile}'\necho \"job done\"");

    private Task<ActionOutcome> RunAsync(ServiceActionHandler handler, ServiceAction.Types.Operation operation, string service, bool dryRun = false) =>
        handler.RunAsync(
            ActionTestContext.For(_policy, ActionTestContext.Command(c => c.Service = new ServiceAction { Operation = operation, Service = service }, dryRun)),
            ActionTestContext.Timeout());

    [Fact]
    public void Arguments_Restart_ExactCommandLine()
    {
        Assert.Equal(
            ["--no-ask-password", "restart", "--", "nginx.service"],
            SystemctlCommandLine.Arguments(ServiceAction.Types.Operation.Restart, "nginx.service"));
        Assert.Equal(
            ["--no-ask-password", "stop", "--", "model-server.service"],
            SystemctlCommandLine.Arguments(ServiceAction.Types.Operation.Stop, "model-server.service"));
    }

    [Fact]
    public async Task RunAsync_AllowedRestart_RunsSystemctlWithExactArgv()
    {
        ActionOutcome outcome = await RunAsync(RecordingHandler(), ServiceAction.Types.Operation.Restart, "nginx");

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.Equal(["--no-ask-password", "restart", "--", "nginx.service"], await File.ReadAllLinesAsync(_argvFile, ActionTestContext.Timeout()));
        Assert.Equal("job done\n", outcome.Output);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("Restarted nginx.service", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_FullUnitNameForShortPolicyName_Allowed()
    {
        ActionOutcome outcome = await RunAsync(RecordingHandler(), ServiceAction.Types.Operation.Start, "nginx.service");

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.Equal(["--no-ask-password", "start", "--", "nginx.service"], await File.ReadAllLinesAsync(_argvFile, ActionTestContext.Timeout()));
    }

    [Fact]
    public async Task RunAsync_ServiceNotInPolicy_DeniedWithoutRunningSystemctl()
    {
        ActionOutcome outcome = await RunAsync(RecordingHandler(), ServiceAction.Types.Operation.Restart, "sshd");

        Assert.Equal(CommandStatus.Rejected, outcome.Status);
        Assert.Equal(RejectionCodes.PolicyDenied, outcome.RejectionCode);
        Assert.Contains("does not list service sshd.service", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("{\"Name\": \"sshd.service\", \"Operations\": [\"restart\"]}", outcome.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(_argvFile));
    }

    [Fact]
    public async Task RunAsync_OperationNotAllowedForService_Denied()
    {
        ActionOutcome outcome = await RunAsync(RecordingHandler(), ServiceAction.Types.Operation.Stop, "nginx");

        Assert.Equal(RejectionCodes.PolicyDenied, outcome.RejectionCode);
        Assert.Contains("allows only restart, start for service nginx.service, not stop", outcome.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(_argvFile));
    }

    [Theory]
    [InlineData("--root=/")]
    [InlineData("nginx; reboot")]
    [InlineData("")]
    public async Task RunAsync_NotAUnitName_InvalidWithoutRunning(string service)
    {
        ActionOutcome outcome = await RunAsync(RecordingHandler(), ServiceAction.Types.Operation.Restart, service);

        Assert.Equal(RejectionCodes.InvalidRequest, outcome.RejectionCode);
        Assert.False(File.Exists(_argvFile));
    }

    [Fact]
    public async Task RunAsync_DryRun_ReportsCommandLineAndRunsNothing()
    {
        ActionOutcome outcome = await RunAsync(RecordingHandler(), ServiceAction.Types.Operation.Restart, "nginx", dryRun: true);

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.Contains($"Would run: {_dir.Path}/systemctl --no-ask-password restart -- nginx.service", outcome.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(_argvFile));
    }

    [Fact]
    public async Task RunAsync_SystemctlFails_FailedWithExitCodeAndItsOutput()
    {
        ServiceActionHandler handler = Handler("echo 'Job for nginx.service failed because the control process exited with error code.' >&2\nexit 1");

        ActionOutcome outcome = await RunAsync(handler, ServiceAction.Types.Operation.Restart, "nginx");

        Assert.Equal(CommandStatus.Failed, outcome.Status);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("Job for nginx.service failed", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("journalctl -u nginx.service", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SystemctlMissing_FailedSayingSo()
    {
        var handler = new ServiceActionHandler(
            Options.Create(new CommandOptions { SystemctlPath = Path.Combine(_dir.Path, "no-such-systemctl") }),
            ActionTestContext.Runner());

        ActionOutcome outcome = await RunAsync(handler, ServiceAction.Types.Operation.Restart, "nginx");

        Assert.Equal(CommandStatus.Failed, outcome.Status);
        Assert.Contains("could not start", outcome.Reason, StringComparison.Ordinal);
    }
}
