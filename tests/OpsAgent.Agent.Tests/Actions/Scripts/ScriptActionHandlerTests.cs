using System.Runtime.Versioning;
using OpsAgent.Agent.Actions;
using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Agent.Actions.Scripts;
using OpsAgent.Agent.Commands;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Actions.Scripts;

/// <summary>Runs real scripts from a real scripts directory.</summary>
[SupportedOSPlatform("linux")]
public sealed class ScriptActionHandlerTests : IDisposable
{
    private const UnixFileMode Mode0755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly TempDirectory _dir = new();
    private readonly string _scripts;
    private readonly ScriptActionHandler _handler = new(ActionTestContext.Runner());

    public ScriptActionHandlerTests()
    {
        _scripts = Directory.CreateDirectory(Path.Combine(_dir.Path, "scripts")).FullName;
        File.SetUnixFileMode(_scripts, Mode0755);
    }

    public void Dispose() => _dir.Dispose();

    private ActionPolicy Policy(params ScriptRule[] rules) => new()
    {
        Scripts = new ScriptPolicy { Directory = _scripts, Allowed = [.. rules] },
        MaxOutputBytes = 4096,
    };

    private string Script(string name, string body) => ActionTestContext.WriteScript(Path.Combine(_scripts, name), body);

    private Task<ActionOutcome> RunAsync(ActionPolicy policy, string name, string[] args, bool dryRun = false, uint timeoutSeconds = 0) =>
        _handler.RunAsync(
            ActionTestContext.For(policy, ActionTestContext.Command(c => c.Script = new RunScript { Name = name, Args = { args } }, dryRun, timeoutSeconds)),
            ActionTestContext.Timeout());

    [Fact]
    public async Task RunAsync_ArgumentsWithShellMetacharacters_ArriveVerbatim()
    {
        string marker = Path.Combine(_dir.Path, "pwned");
        Script("echo-args.sh", "for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done");
        string[] args =
        [
            $"$(touch {marker})", $"`touch {marker}`", $"; touch {marker}", $"| touch {marker}", $"&& touch {marker}",
            "two words", "*", "$HOME", "'single'", "\"double\"", "back\\slash", "new\nline", "", "--help",
        ];

        ActionOutcome outcome = await RunAsync(Policy(new ScriptRule { Name = "echo-args.sh", MaxArguments = 32 }), "echo-args.sh", args);

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.Equal(string.Concat(args.Select(a => $"[{a}]\n")), outcome.Output);
        Assert.False(File.Exists(marker), "nothing in an argument may run");
    }

    [Fact]
    public async Task RunAsync_NonZeroExit_FailedWithExitCodeAndOutput()
    {
        Script("fail.sh", "echo 'disk still full' >&2\nexit 3");

        ActionOutcome outcome = await RunAsync(Policy(new ScriptRule { Name = "fail.sh" }), "fail.sh", []);

        Assert.Equal(CommandStatus.Failed, outcome.Status);
        Assert.Equal(3, outcome.ExitCode);
        Assert.Equal("disk still full\n", outcome.Output);
        Assert.Contains("exited with code 3", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_HangingScript_KilledWithWhatItStartedAtTimeout()
    {
        string pidFile = Path.Combine(_dir.Path, "child.pid");
        Script("hang.sh", $"sleep 300 &\necho $! > '{pidFile}'\necho started\nwait");

        ActionOutcome outcome = await RunAsync(Policy(new ScriptRule { Name = "hang.sh", TimeoutSeconds = 60 }), "hang.sh", [], timeoutSeconds: 1);

        Assert.Equal(CommandStatus.TimedOut, outcome.Status);
        Assert.Contains("did not finish within 1 s and was killed", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal("started\n", outcome.Output);
        int child = int.Parse(await File.ReadAllTextAsync(pidFile, ActionTestContext.Timeout()), System.Globalization.CultureInfo.InvariantCulture);
        await WaitUntilGoneAsync(child);
    }

    [Fact]
    public async Task RunAsync_OutputAboveLimit_TruncatedAndFlagged()
    {
        Script("chatty.sh", "i=0; while [ $i -lt 5000 ]; do echo \"line $i: some output that fills the pipe\"; i=$((i+1)); done");

        ActionOutcome outcome = await RunAsync(Policy(new ScriptRule { Name = "chatty.sh" }), "chatty.sh", []);

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.True(outcome.OutputTruncated);
        Assert.Equal(4096, System.Text.Encoding.UTF8.GetByteCount(outcome.Output));
        Assert.StartsWith("line 0: some output", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CleanEnvironment_AgentSettingsNotPassed()
    {
        string variable = "OPSAGENT_TEST_SECRET_" + Guid.NewGuid().ToString("N")[..8];
        Environment.SetEnvironmentVariable(variable, "secret.example.com");
        Script("env.sh", "env | sort");

        ActionOutcome outcome;
        try
        {
            outcome = await RunAsync(Policy(new ScriptRule { Name = "env.sh" }), "env.sh", []);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.DoesNotContain("secret.example.com", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("OPSAGENT_ISSUED_BY=user:test", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ScriptNotAllowlisted_DeniedAndNotRun()
    {
        string marker = Path.Combine(_dir.Path, "ran");
        Script("other.sh", $"touch '{marker}'");

        ActionOutcome outcome = await RunAsync(Policy(new ScriptRule { Name = "allowed.sh" }), "other.sh", []);

        Assert.Equal(RejectionCodes.PolicyDenied, outcome.RejectionCode);
        Assert.Contains("allowed: allowed.sh", outcome.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData("../scripts/allowed.sh")]
    [InlineData("/bin/sh")]
    [InlineData("..")]
    public async Task RunAsync_PathInsteadOfName_Denied(string name)
    {
        ActionOutcome outcome = await RunAsync(Policy(new ScriptRule { Name = "allowed.sh" }), name, []);

        Assert.Equal(RejectionCodes.PolicyDenied, outcome.RejectionCode);
        Assert.Contains("never a path", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TooManyArguments_Denied()
    {
        Script("two.sh", "true");

        ActionOutcome outcome = await RunAsync(Policy(new ScriptRule { Name = "two.sh", MaxArguments = 1 }), "two.sh", ["a", "b"]);

        Assert.Equal(RejectionCodes.PolicyDenied, outcome.RejectionCode);
        Assert.Contains("Scripts.Allowed[0].MaxArguments", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ArgumentNotMatchingPattern_DeniedAndNotRun()
    {
        string marker = Path.Combine(_dir.Path, "ran");
        Script("region.sh", $"touch '{marker}'");
        var rule = new ScriptRule { Name = "region.sh", ArgumentPattern = "[a-z]+-[0-9]" };

        ActionOutcome ok = await RunAsync(Policy(rule), "region.sh", ["eu-1"]);
        Assert.Equal(CommandStatus.Succeeded, ok.Status);
        File.Delete(marker);

        ActionOutcome denied = await RunAsync(Policy(rule), "region.sh", ["eu-1; reboot"]);

        Assert.Equal(RejectionCodes.PolicyDenied, denied.RejectionCode);
        Assert.Contains("Argument 1", denied.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task RunAsync_ScriptWritableByOthers_Denied()
    {
        string path = Script("loose.sh", "true");
        File.SetUnixFileMode(path, Mode0755 | UnixFileMode.OtherWrite);

        ActionOutcome outcome = await RunAsync(Policy(new ScriptRule { Name = "loose.sh" }), "loose.sh", []);

        Assert.Equal(RejectionCodes.PolicyDenied, outcome.RejectionCode);
        Assert.Contains("chmod go-w", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ScriptIsSymlink_Denied()
    {
        string elsewhere = ActionTestContext.WriteScript(Path.Combine(_dir.Path, "elsewhere.sh"), "true");
        File.CreateSymbolicLink(Path.Combine(_scripts, "link.sh"), elsewhere);

        ActionOutcome outcome = await RunAsync(Policy(new ScriptRule { Name = "link.sh" }), "link.sh", []);

        Assert.Equal(RejectionCodes.PolicyDenied, outcome.RejectionCode);
        Assert.Contains("symbolic link", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AllowlistedButMissing_FailedSayingWhere()
    {
        ActionOutcome outcome = await RunAsync(Policy(new ScriptRule { Name = "absent.sh" }), "absent.sh", []);

        Assert.Equal(CommandStatus.Failed, outcome.Status);
        Assert.Contains($"{_scripts}/absent.sh does not exist", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DryRun_ReportsCommandLineAndRunsNothing()
    {
        string marker = Path.Combine(_dir.Path, "ran");
        Script("x.sh", $"touch '{marker}'");

        ActionOutcome outcome = await RunAsync(Policy(new ScriptRule { Name = "x.sh" }), "x.sh", ["a b", "c"], dryRun: true);

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.Contains($"Would run: {_scripts}/x.sh 'a b' c", outcome.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    private static async Task WaitUntilGoneAsync(int pid)
    {
        // Killed processes are reaped by init; until then /proc shows them as zombies (state Z).
        CancellationToken timeout = ActionTestContext.Timeout(10);
        while (true)
        {
            string stat;
            try
            {
                stat = await File.ReadAllTextAsync($"/proc/{pid}/stat", timeout);
            }
            catch (IOException)
            {
                return;
            }

            if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
            {
                return;
            }

            await Task.Delay(50, timeout);
        }
    }
}
