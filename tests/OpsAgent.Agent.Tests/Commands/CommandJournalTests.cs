using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpsAgent.Agent.Commands;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Commands;

public sealed class CommandJournalTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    private CommandJournal Open(int capacity = 100) =>
        new(Path.Combine(_dir.Path, "commands"), capacity, TimeSpan.FromSeconds(60), _time, NullLogger<CommandJournal>.Instance);

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private Command NewCommand(string id) => CommandSigner.NewCommand("web-01", _time.GetUtcNow(), id);

    private static CommandResult Succeeded(string id, string output = "done") =>
        new() { CommandId = id, Status = CommandStatus.Succeeded, Output = output, ExitCode = 0 };

    private void Run(CommandJournal journal, Command command, CommandResult result)
    {
        Assert.Equal(JournalAdmissionKind.Accepted, journal.Admit(command, NowMs).Kind);
        journal.Begin(command, NowMs);
        journal.Complete(command.CommandId, result);
    }

    [Fact]
    public void Admit_CommandIdAlreadyRun_ReturnsStoredResult()
    {
        CommandJournal journal = Open();
        Command command = NewCommand("cmd-1");
        Run(journal, command, Succeeded("cmd-1", "restarted"));

        JournalAdmission again = journal.Admit(command, NowMs);

        Assert.Equal(JournalAdmissionKind.AlreadyRun, again.Kind);
        Assert.Equal("restarted", again.StoredResult?.Output);
    }

    [Fact]
    public void Admit_SameCommandIdWithFreshNonce_ReturnsStoredResult()
    {
        CommandJournal journal = Open();
        Run(journal, NewCommand("cmd-1"), Succeeded("cmd-1"));

        JournalAdmission again = journal.Admit(NewCommand("cmd-1"), NowMs);

        Assert.Equal(JournalAdmissionKind.AlreadyRun, again.Kind);
    }

    [Fact]
    public void Admit_AfterRestart_RemembersResultsAndNonces()
    {
        Command first = NewCommand("cmd-1");
        Run(Open(), first, Succeeded("cmd-1", "kept"));

        CommandJournal restarted = Open();
        Command replay = NewCommand("cmd-2");
        replay.Nonce = first.Nonce;

        Assert.Equal("kept", restarted.Admit(first, NowMs).StoredResult?.Output);
        JournalAdmission replayed = restarted.Admit(replay, NowMs);
        Assert.Equal(JournalAdmissionKind.NonceReused, replayed.Kind);
        Assert.Equal("cmd-1", replayed.NonceOwner);
    }

    [Fact]
    public void Admit_NonceOfQueuedCommand_NonceReused()
    {
        CommandJournal journal = Open();
        Command queued = NewCommand("cmd-1");
        Assert.Equal(JournalAdmissionKind.Accepted, journal.Admit(queued, NowMs).Kind);
        Command other = NewCommand("cmd-2");
        other.Nonce = queued.Nonce;

        Assert.Equal(JournalAdmissionKind.NonceReused, journal.Admit(other, NowMs).Kind);
        Assert.Equal(JournalAdmissionKind.InFlight, journal.Admit(queued, NowMs).Kind);
    }

    [Fact]
    public void Load_CommandRunningWhenAgentStopped_ReportedFailedAndNeverRunAgain()
    {
        Command command = NewCommand("cmd-1");
        CommandJournal before = Open();
        before.Admit(command, NowMs);
        before.Begin(command, NowMs);

        CommandJournal after = Open();

        CommandResult interrupted = Assert.Single(after.TakeInterrupted());
        Assert.Equal("cmd-1", interrupted.CommandId);
        Assert.Equal(CommandStatus.Failed, interrupted.Status);
        Assert.Contains("not run again", interrupted.Reason, StringComparison.Ordinal);
        Assert.Empty(after.TakeInterrupted());
        Assert.Equal(JournalAdmissionKind.AlreadyRun, after.Admit(command, NowMs).Kind);
        Assert.Empty(Open().TakeInterrupted());
    }

    [Fact]
    public void Prune_ExpiredCommands_ForgottenAndFilesDeleted()
    {
        CommandJournal journal = Open();
        Command command = NewCommand("cmd-1");
        Run(journal, command, Succeeded("cmd-1"));
        string directory = Path.Combine(_dir.Path, "commands");
        Assert.Single(Directory.GetFiles(directory));

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(59));
        Assert.Equal(0, journal.Prune(NowMs));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, journal.Prune(NowMs));

        Assert.Empty(Directory.GetFiles(directory));
        Assert.Equal(0, journal.Count);
    }

    [Fact]
    public void Load_ExpiredRecords_Deleted()
    {
        Run(Open(), NewCommand("cmd-1"), Succeeded("cmd-1"));
        _time.Advance(TimeSpan.FromMinutes(10));

        CommandJournal restarted = Open();

        Assert.Equal(0, restarted.Count);
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir.Path, "commands")));
    }

    [Fact]
    public void Admit_AtCapacity_FullUntilCommandsExpire()
    {
        CommandJournal journal = Open(capacity: 2);
        Run(journal, NewCommand("cmd-1"), Succeeded("cmd-1"));
        Run(journal, NewCommand("cmd-2"), Succeeded("cmd-2"));

        Assert.Equal(JournalAdmissionKind.Full, journal.Admit(NewCommand("cmd-3"), NowMs).Kind);

        _time.Advance(TimeSpan.FromMinutes(7));
        Assert.Equal(JournalAdmissionKind.Accepted, journal.Admit(NewCommand("cmd-3"), NowMs).Kind);
    }

    [Fact]
    public void Load_DamagedRecord_QuarantinedAndTheOthersLoaded()
    {
        Run(Open(), NewCommand("cmd-1"), Succeeded("cmd-1"));
        string directory = Path.Combine(_dir.Path, "commands");
        File.WriteAllText(Path.Combine(directory, "0123456789abcdef0123456789abcdef.json"), "{ not json");

        CommandJournal restarted = Open();

        Assert.Equal(1, restarted.Count);
        Assert.Single(Directory.GetFiles(directory, "*.corrupt"));
    }

    [Fact]
    public void Complete_LargeOutput_StoredCopyBoundedAndFlagged()
    {
        CommandJournal journal = Open();
        Command command = NewCommand("cmd-1");
        Run(journal, command, Succeeded("cmd-1", new string('x', 100_000)));

        CommandResult stored = Open().Admit(command, NowMs).StoredResult!;

        Assert.Equal(CommandJournal.StoredOutputBytes, stored.Output.Length);
        Assert.True(stored.OutputTruncated);
    }

    [Fact]
    public void Withdraw_QueuedCommand_CanBeAdmittedAgain()
    {
        CommandJournal journal = Open();
        Command command = NewCommand("cmd-1");
        journal.Admit(command, NowMs);

        journal.Withdraw("cmd-1");

        Assert.Equal(JournalAdmissionKind.Accepted, journal.Admit(command, NowMs).Kind);
    }

    [Fact]
    public void Admit_CommandIdWithPathCharacters_StoredUnderHashedName()
    {
        CommandJournal journal = Open();
        Command command = NewCommand("../../etc/passwd");
        command.Nonce = ByteString.CopyFrom(new byte[16]);
        Run(journal, command, Succeeded(command.CommandId));

        string file = Assert.Single(Directory.GetFiles(Path.Combine(_dir.Path, "commands")));
        Assert.Matches("^[0-9a-f]{32}\\.json$", Path.GetFileName(file));
    }
}
