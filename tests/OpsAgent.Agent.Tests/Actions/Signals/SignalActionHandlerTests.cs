using System.Diagnostics;
using System.Runtime.Versioning;
using OpsAgent.Agent.Actions;
using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Agent.Actions.Signals;
using OpsAgent.Agent.Commands;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Actions.Signals;

/// <summary>Signals real child processes: a copy of sleep under a name no other process on the machine has.</summary>
[SupportedOSPlatform("linux")]
public sealed class SignalActionHandlerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<Process> _children = [];
    private readonly string _name = "oa-" + Guid.NewGuid().ToString("N")[..10];
    private readonly SignalActionHandler _handler = new();

    public void Dispose()
    {
        foreach (Process child in _children)
        {
            if (!child.HasExited)
            {
                child.Kill();
            }

            child.Dispose();
        }

        _dir.Dispose();
    }

    private Process StartChild()
    {
        string program = Path.Combine(_dir.Path, _name);
        if (!File.Exists(program))
        {
            File.Copy("/bin/sleep", program);
        }

        var child = Process.Start(new ProcessStartInfo(program, "300") { UseShellExecute = false })!;
        _children.Add(child);
        return child;
    }

    private ActionPolicy Policy(params string[] signals) => new()
    {
        Processes = [new ProcessRule { Name = _name, Signals = [.. signals] }],
    };

    private Task<ActionOutcome> RunAsync(ActionPolicy policy, Action<SignalProcess> target, string signal, bool dryRun = false)
    {
        var request = new SignalProcess { Signal = signal };
        target(request);
        return _handler.RunAsync(ActionTestContext.For(policy, ActionTestContext.Command(c => c.Signal = request, dryRun)), ActionTestContext.Timeout());
    }

    private static async Task<int> ExitCodeAsync(Process child)
    {
        await child.WaitForExitAsync(ActionTestContext.Timeout(10));
        return child.ExitCode;
    }

    [Fact]
    public async Task RunAsync_TermByPid_ChildTerminatedBySigterm()
    {
        Process child = StartChild();

        ActionOutcome outcome = await RunAsync(Policy("TERM"), r => r.Pid = child.Id, "SIGTERM");

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.Equal(128 + 15, await ExitCodeAsync(child));
        Assert.Contains($"pid {child.Id} ({_name}): sent TERM", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_KillByName_EveryProcessOfThatNameKilled()
    {
        Process first = StartChild();
        Process second = StartChild();

        ActionOutcome outcome = await RunAsync(Policy("TERM", "KILL"), r => r.ProcessName = _name, "kill");

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.Contains("Sent KILL to 2 process(es)", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(128 + 9, await ExitCodeAsync(first));
        Assert.Equal(128 + 9, await ExitCodeAsync(second));
    }

    [Fact]
    public async Task RunAsync_NameNotInPolicy_DeniedAndChildKeepsRunning()
    {
        Process child = StartChild();
        var other = new ActionPolicy { Processes = [new ProcessRule { Name = "python3", Signals = ["TERM"] }] };

        ActionOutcome outcome = await RunAsync(other, r => r.Pid = child.Id, "TERM");

        Assert.Equal(RejectionCodes.PolicyDenied, outcome.RejectionCode);
        Assert.Contains($"Process {child.Id} is '{_name}'", outcome.Reason, StringComparison.Ordinal);
        Assert.False(child.HasExited);
    }

    [Fact]
    public async Task RunAsync_SignalNotAllowedForName_DeniedAndChildKeepsRunning()
    {
        Process child = StartChild();

        ActionOutcome outcome = await RunAsync(Policy("HUP"), r => r.ProcessName = _name, "KILL");

        Assert.Equal(RejectionCodes.PolicyDenied, outcome.RejectionCode);
        Assert.Contains("allows only HUP", outcome.Reason, StringComparison.Ordinal);
        Assert.False(child.HasExited);
    }

    [Fact]
    public async Task RunAsync_DryRun_ReportsTargetsAndSignalsNothing()
    {
        Process child = StartChild();

        ActionOutcome outcome = await RunAsync(Policy("TERM"), r => r.ProcessName = _name, "TERM", dryRun: true);

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.Contains($"Would send TERM to 1 process(es) named '{_name}': pid {child.Id}", outcome.Reason, StringComparison.Ordinal);
        Assert.False(child.HasExited);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1)]
    public async Task RunAsync_PidAddressingGroupsOrInit_Invalid(int pid)
    {
        ActionOutcome outcome = await RunAsync(Policy("TERM"), r => r.Pid = pid, "TERM");

        Assert.Equal(RejectionCodes.InvalidRequest, outcome.RejectionCode);
    }

    [Fact]
    public async Task RunAsync_OwnPid_Invalid()
    {
        ActionOutcome outcome = await RunAsync(Policy("TERM"), r => r.Pid = Environment.ProcessId, "TERM");

        Assert.Equal(RejectionCodes.InvalidRequest, outcome.RejectionCode);
        Assert.Contains("the agent itself", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownSignal_Invalid()
    {
        ActionOutcome outcome = await RunAsync(Policy("TERM"), r => r.ProcessName = _name, "SEGV");

        Assert.Equal(RejectionCodes.InvalidRequest, outcome.RejectionCode);
    }

    [Fact]
    public async Task RunAsync_NoProcessOfThatName_Failed()
    {
        ActionOutcome outcome = await RunAsync(Policy("TERM"), r => r.ProcessName = _name, "TERM");

        Assert.Equal(CommandStatus.Failed, outcome.Status);
        Assert.Contains($"No process named '{_name}' is running", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Send_PidNowBelongsToAnotherName_NotSignalled()
    {
        Process child = StartChild();

        SignalDelivery delivery = LinuxSignalSender.Send(child.Id, SignalNames.LinuxNumber("KILL"), "some-other-name", out string problem);

        Assert.Equal(SignalDelivery.Replaced, delivery);
        Assert.Contains($"is now '{_name}'", problem, StringComparison.Ordinal);
        Assert.False(child.HasExited);
    }
}
