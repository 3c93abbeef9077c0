using System.Runtime.Versioning;
using OpsAgent.Agent.Actions;
using OpsAgent.Agent.Actions.Cleanup;
using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Agent.Commands;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Actions.Cleanup;

/// <summary>Cleans real directories, and tries to escape them every way a command or a local user could.</summary>
[SupportedOSPlatform("linux")]
public sealed class CleanupActionHandlerTests : IDisposable
{
    private static readonly DateTime Old = DateTime.UtcNow.AddDays(-3);

    private readonly TempDirectory _dir = new();
    private readonly string _logs;
    private readonly string _outside;
    private readonly CleanupActionHandler _handler = new();

    public CleanupActionHandlerTests()
    {
        _logs = Directory.CreateDirectory(Path.Combine(_dir.Path, "logs")).FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_dir.Path, "outside")).FullName;
    }

    public void Dispose() => _dir.Dispose();

    private ActionPolicy Policy(bool recursive = false, int maxFiles = 100, long minAgeSeconds = 3600) => new()
    {
        Cleanup = [new CleanupRule { Directory = _logs, Patterns = ["*.log.*", "*.gz"], MinAgeSeconds = minAgeSeconds, MaxFilesPerRun = maxFiles, Recursive = recursive }],
    };

    private Task<ActionOutcome> RunAsync(ActionPolicy policy, string directory, string pattern = "", bool dryRun = false, uint maxFiles = 0, long largerThan = 0) =>
        _handler.RunAsync(
            ActionTestContext.For(policy, ActionTestContext.Command(
                c => c.Cleanup = new CleanupFiles { Directory = directory, Pattern = pattern, MaxFiles = maxFiles, LargerThanBytes = largerThan },
                dryRun)),
            ActionTestContext.Timeout());

    private static string WriteFile(string path, int bytes, DateTime lastWrite)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[bytes]);
        File.SetLastWriteTimeUtc(path, lastWrite);
        return path;
    }

    [Fact]
    public async Task RunAsync_OldMatchingFiles_DeletedAndBytesReported()
    {
        string oldLog = WriteFile(Path.Combine(_logs, "app.log.1"), 1000, Old);
        string oldGz = WriteFile(Path.Combine(_logs, "app.log.2.gz"), 500, Old.AddHours(-1));
        string young = WriteFile(Path.Combine(_logs, "app.log.3"), 100, DateTime.UtcNow);
        string current = WriteFile(Path.Combine(_logs, "app.log"), 100, Old);
        string other = WriteFile(Path.Combine(_logs, "data.db"), 100, Old);

        ActionOutcome outcome = await RunAsync(Policy(), _logs);

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.False(File.Exists(oldLog));
        Assert.False(File.Exists(oldGz));
        Assert.True(File.Exists(young), "younger than the policy's MinAgeSeconds");
        Assert.True(File.Exists(current), "matches no policy pattern");
        Assert.True(File.Exists(other));
        Assert.Contains("Deleted 2 file(s), 1.5 KiB (1500 bytes)", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("deleted app.log.2.gz  500 bytes", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("deleted app.log.1  1000 bytes", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CommandPatternAndSize_NarrowWhatPolicyAllows()
    {
        string big = WriteFile(Path.Combine(_logs, "a.log.1"), 5000, Old);
        string small = WriteFile(Path.Combine(_logs, "b.log.1"), 10, Old);
        string gz = WriteFile(Path.Combine(_logs, "c.gz"), 5000, Old);

        ActionOutcome outcome = await RunAsync(Policy(), _logs, pattern: "*.log.*", largerThan: 100);

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.False(File.Exists(big));
        Assert.True(File.Exists(small));
        Assert.True(File.Exists(gz));
    }

    [Fact]
    public async Task RunAsync_CommandPatternWiderThanPolicy_OnlyPolicyPatternsDeleted()
    {
        string db = WriteFile(Path.Combine(_logs, "data.db"), 100, Old);
        string log = WriteFile(Path.Combine(_logs, "x.log.1"), 100, Old);

        await RunAsync(Policy(), _logs, pattern: "*");

        Assert.True(File.Exists(db));
        Assert.False(File.Exists(log));
    }

    [Fact]
    public async Task RunAsync_MoreMatchesThanMaxFiles_OldestDeletedFirst()
    {
        for (int i = 0; i < 5; i++)
        {
            WriteFile(Path.Combine(_logs, $"app.log.{i}"), 10, Old.AddHours(-i));
        }

        ActionOutcome outcome = await RunAsync(Policy(maxFiles: 3), _logs, maxFiles: 10);

        Assert.Equal(["app.log.0", "app.log.1"], Directory.GetFiles(_logs).Select(Path.GetFileName).Order());
        Assert.Contains("5 matched", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("At most 3 are deleted per run", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DryRun_ListsAndDeletesNothing()
    {
        string log = WriteFile(Path.Combine(_logs, "app.log.1"), 10, Old);

        ActionOutcome outcome = await RunAsync(Policy(), _logs, dryRun: true);

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.True(File.Exists(log));
        Assert.Contains("Would delete 1 file(s)", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("would delete app.log.1", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Recursive_CleansSubdirectories()
    {
        string nested = WriteFile(Path.Combine(_logs, "2025", "06", "app.log.1"), 10, Old);

        ActionOutcome flat = await RunAsync(Policy(recursive: false), _logs);
        Assert.True(File.Exists(nested), flat.Reason);

        ActionOutcome deep = await RunAsync(Policy(recursive: true), _logs);
        Assert.False(File.Exists(nested), deep.Reason);
        Assert.Contains("deleted 2025/06/app.log.1", deep.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SubdirectoryOfAllowedDirectory_Allowed()
    {
        string log = WriteFile(Path.Combine(_logs, "sub", "app.log.1"), 10, Old);

        ActionOutcome outcome = await RunAsync(Policy(), Path.Combine(_logs, "sub"));

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.False(File.Exists(log));
    }

    [Fact]
    public async Task RunAsync_DotDotEscape_DeniedAndNothingDeleted()
    {
        string victim = WriteFile(Path.Combine(_outside, "victim.log.1"), 10, Old);

        ActionOutcome outcome = await RunAsync(Policy(), _logs + "/../outside");

        Assert.Equal(RejectionCodes.PolicyDenied, outcome.RejectionCode);
        Assert.Contains("'..'", outcome.Reason, StringComparison.Ordinal);
        Assert.True(File.Exists(victim));
    }

    [Theory]
    [InlineData("/etc")]
    [InlineData("relative/logs")]
    public async Task RunAsync_PathOutsideOrRelative_Denied(string directory)
    {
        ActionOutcome outcome = await RunAsync(Policy(), directory);

        Assert.Equal(RejectionCodes.PolicyDenied, outcome.RejectionCode);
    }

    [Fact]
    public async Task RunAsync_SiblingWithSamePrefix_Denied()
    {
        string sibling = Directory.CreateDirectory(_logs + "-old").FullName;
        string victim = WriteFile(Path.Combine(sibling, "a.log.1"), 10, Old);

        ActionOutcome outcome = await RunAsync(Policy(), sibling);

        Assert.Equal(RejectionCodes.PolicyDenied, outcome.RejectionCode);
        Assert.True(File.Exists(victim));
    }

    [Fact]
    public async Task RunAsync_SymlinkedFileInside_NeitherFollowedNorDeleted()
    {
        string victim = WriteFile(Path.Combine(_outside, "secret.log.1"), 10, Old);
        string link = Path.Combine(_logs, "innocent.log.1");
        File.CreateSymbolicLink(link, victim);

        ActionOutcome outcome = await RunAsync(Policy(), _logs);

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.True(File.Exists(victim));
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Contains("Skipped 1 symbolic link(s)", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SymlinkToEtcInsideRecursiveTree_NotEntered()
    {
        // Dry run: were the link followed, /etc's files would be listed; nothing here can touch /etc.
        Directory.CreateSymbolicLink(Path.Combine(_logs, "etc"), "/etc");
        var everything = new ActionPolicy
        {
            Cleanup = [new CleanupRule { Directory = _logs, Patterns = ["*"], Recursive = true }],
        };

        ActionOutcome outcome = await RunAsync(everything, _logs, dryRun: true);

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.Contains("Would delete 0 file(s)", outcome.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("etc/", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SymlinkedDirectoryInsideRecursiveTree_FilesBehindItSurvive()
    {
        string victim = WriteFile(Path.Combine(_outside, "victim.log.1"), 10, Old);
        Directory.CreateSymbolicLink(Path.Combine(_logs, "archive"), _outside);

        ActionOutcome outcome = await RunAsync(Policy(recursive: true), _logs);

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.True(File.Exists(victim));
    }

    [Fact]
    public async Task RunAsync_TargetIsSymlinkedDirectory_Denied()
    {
        string victim = WriteFile(Path.Combine(_outside, "victim.log.1"), 10, Old);
        string link = Path.Combine(_logs, "archive");
        Directory.CreateSymbolicLink(link, _outside);

        ActionOutcome outcome = await RunAsync(Policy(), link);

        Assert.Equal(RejectionCodes.PolicyDenied, outcome.RejectionCode);
        Assert.Contains("is a symbolic link", outcome.Reason, StringComparison.Ordinal);
        Assert.True(File.Exists(victim));
    }

    [Fact]
    public async Task RunAsync_SymlinkOnTheWayToTarget_Denied()
    {
        string victim = WriteFile(Path.Combine(_outside, "deeper", "victim.log.1"), 10, Old);
        Directory.CreateSymbolicLink(Path.Combine(_logs, "archive"), _outside);

        ActionOutcome outcome = await RunAsync(Policy(), Path.Combine(_logs, "archive", "deeper"));

        Assert.Equal(RejectionCodes.PolicyDenied, outcome.RejectionCode);
        Assert.True(File.Exists(victim));
    }

    [Fact]
    public async Task RunAsync_PolicyDirectoryReplacedBySymlinkAfterStart_Denied()
    {
        ActionPolicy policy = ActionTestContext.Validated(Policy());
        string victim = WriteFile(Path.Combine(_outside, "victim.log.1"), 10, Old);
        Directory.Delete(_logs);
        Directory.CreateSymbolicLink(_logs, _outside);

        ActionOutcome outcome = await _handler.RunAsync(
            new ActionContext(ActionTestContext.Command(c => c.Cleanup = new CleanupFiles { Directory = _logs }), policy, ActionTestContext.PolicyFile, TimeProvider.System),
            ActionTestContext.Timeout());

        Assert.Equal(RejectionCodes.PolicyDenied, outcome.RejectionCode);
        Assert.True(File.Exists(victim));
    }

    [Fact]
    public async Task RunAsync_MissingDirectory_Failed()
    {
        ActionOutcome outcome = await RunAsync(Policy(), Path.Combine(_logs, "absent"));

        Assert.Equal(CommandStatus.Failed, outcome.Status);
        Assert.Contains("does not exist", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_ThroughDescriptor_SeeTheOpenedDirectoryEvenAfterItsPathIsSwapped()
    {
        WriteFile(Path.Combine(_logs, "inside.log.1"), 10, Old);
        WriteFile(Path.Combine(_outside, "outside.log.1"), 10, Old);
        using LinuxCleanupDirectory opened = LinuxCleanupDirectory.OpenRoot(_logs);

        // A local user swaps the directory for a link to somewhere else after the agent opened it.
        Directory.Move(_logs, _logs + ".moved");
        Directory.CreateSymbolicLink(_logs, _outside);

        Assert.Equal(["inside.log.1"], opened.Entries().Select(e => e.Name));
        opened.DeleteFile("inside.log.1");
        Assert.False(File.Exists(Path.Combine(_logs + ".moved", "inside.log.1")));
        Assert.True(File.Exists(Path.Combine(_outside, "outside.log.1")));
    }
}
