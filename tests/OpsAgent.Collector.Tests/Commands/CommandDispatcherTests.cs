using System.Security.Cryptography;
using Google.Protobuf;
using OpsAgent.Collector.Commands;
using OpsAgent.Collector.Gateway;
using OpsAgent.Collector.Ingest;
using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Collector.Playbooks.Format;
using OpsAgent.Protocol;
using CommandState = OpsAgent.Collector.Commands.CommandState;

namespace OpsAgent.Collector.Tests.Commands;

public sealed class CommandDispatcherTests : IDisposable
{
    private readonly DispatcherHarness _h = new();

    private static CancellationToken Deadline => CancellationTokenSource.CreateLinkedTokenSource(
        TestContext.Current.CancellationToken, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token).Token;

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Issue_AgentConnected_SignsWritesToItsStreamAndRecordsWhoWhyWhat()
    {
        AgentConnection stream = _h.Connect();

        CommandRecord record = _h.Exec();

        SignedCommand sent = Assert.Single(DispatcherHarness.Sent(stream));
        Assert.Equal(_h.Signer.KeyId, sent.KeyId);
        using (var key = ECDsa.Create())
        {
            key.ImportSubjectPublicKeyInfo(_h.Signer.PublicKey.Span, out _);
            Assert.True(key.VerifyData(sent.Command.Span, sent.Signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        }

        Command command = Command.Parser.ParseFrom(sent.Command);
        Assert.Equal((record.CommandId, "agent-1", "user:alice", "test"), (command.CommandId, command.AgentId, command.IssuedBy, command.Reason));
        Assert.Equal(16, command.Nonce.Length);
        Assert.Equal((DispatcherHarness.Start + _h.Options.ExecExpiry).ToUnixTimeMilliseconds(), command.ExpiresUnixMs);
        CommandRecord stored = _h.Repository.Get(record.CommandId)!;
        Assert.Equal((CommandState.Sent, 1, "restart_service nginx"), (stored.State, stored.SendCount, stored.Action));
        Assert.Equal(sent, stored.Signed);
    }

    [Fact]
    public void Issue_AgentOffline_WaitsQueuedAndGoesWhenItConnects()
    {
        CommandRecord record = _h.Exec();
        Assert.Equal(CommandState.Queued, record.State);

        AgentConnection stream = _h.Connect();

        Assert.Equal(record.CommandId, Command.Parser.ParseFrom(Assert.Single(DispatcherHarness.Sent(stream)).Command).CommandId);
        Assert.Equal(CommandState.Sent, _h.Dispatcher.Find(record.CommandId)!.State);
    }

    [Fact]
    public void AgentConnected_SentWithoutResult_SendsTheSameSignedBytesAgain()
    {
        AgentConnection first = _h.Connect();
        _h.Exec();
        SignedCommand original = Assert.Single(DispatcherHarness.Sent(first));

        // The agent reconnects (new stream) without having answered; a collector restart in between changes nothing.
        _h.Restart();
        AgentConnection second = _h.Connect();

        SignedCommand again = Assert.Single(DispatcherHarness.Sent(second));
        Assert.Equal(original.ToByteArray(), again.ToByteArray());
        Assert.Equal(2, _h.Repository.Get(Command.Parser.ParseFrom(again.Command).CommandId)!.SendCount);
    }

    [Fact]
    public void Sweep_QueuedPastItsExpiry_ExpiresNeverSentWithTheReason()
    {
        CommandRecord record = _h.Exec();
        _h.Time.Advance(_h.Options.ExecExpiry + TimeSpan.FromSeconds(1));

        _h.Dispatcher.Sweep();
        AgentConnection stream = _h.Connect();

        CommandRecord expired = _h.Repository.Get(record.CommandId)!;
        Assert.Equal(CommandState.Expired, expired.State);
        Assert.Contains("was not connected before the command expired", expired.StateReason, StringComparison.Ordinal);
        Assert.Empty(DispatcherHarness.Sent(stream));
    }

    [Fact]
    public void Sweep_SentAndNoResultByExpiryPlusTimeoutPlusGrace_Expires()
    {
        _h.Connect();
        CommandRecord record = _h.Exec();
        _h.Time.Advance(_h.Options.ExecExpiry + TimeSpan.FromSeconds(30) + _h.Options.ResultGrace);
        _h.Dispatcher.Sweep();
        Assert.Equal(CommandState.Sent, _h.Dispatcher.Find(record.CommandId)!.State);

        _h.Time.Advance(TimeSpan.FromSeconds(1));
        _h.Dispatcher.Sweep();

        CommandRecord expired = _h.Dispatcher.Find(record.CommandId)!;
        Assert.Equal(CommandState.Expired, expired.State);
        Assert.Contains("no result came", expired.StateReason, StringComparison.Ordinal);
    }

    [Fact]
    public void ScreenResults_UnknownForeignAndUnsentIds_AreRejectedWithTheirCodeAndOwnOnesKept()
    {
        _h.Connect("agent-1");
        CommandRecord own = _h.Exec("agent-1");
        _h.Connect("agent-2");
        CommandRecord foreign = _h.Exec("agent-2");
        _h.Registry.Unregister(_h.Registry.Find("agent-1")!);
        CommandRecord unsent = _h.Exec("agent-1");
        var batch = new TelemetryBatch
        {
            CommandResults =
            {
                Result(own.CommandId), Result(foreign.CommandId), Result(unsent.CommandId), Result("c-nobody-sent-this"),
            },
        };
        var outcome = new ValidationOutcome();

        _h.Dispatcher.ScreenResults("agent-1", batch, outcome);

        Assert.Equal([own.CommandId], batch.CommandResults.Select(r => r.CommandId));
        Assert.Equal(1, outcome.AcceptedItems);
        Assert.Equal(1, outcome.CountsByCode[RejectionCodes.ForeignCommand]);
        Assert.Equal(2, outcome.CountsByCode[RejectionCodes.UnknownCommand]);
        Assert.Contains(outcome.Reported, r => r.Item == foreign.CommandId && r.Message.Contains("was sent to agent agent-2, not to agent agent-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResultsStoredAsync_AfterTheSinkStoredIt_FinishesTheCommandWakesWaitersAndTellsThePlaybooks()
    {
        _h.Connect();
        CommandRecord record = _h.Exec();
        Task<CommandRecord?> waiting = _h.Dispatcher.WaitAsync(record.CommandId, r => r.IsFinal, TimeSpan.FromMinutes(5), Deadline);
        CommandResult result = Result(record.CommandId, CommandStatus.Rejected, "The local policy does not list service nginx.service");

        Assert.True(_h.StoreResult("agent-1", result));
        await _h.Dispatcher.ResultsStoredAsync("agent-1", [result], Deadline);

        CommandRecord finished = (await waiting.WaitAsync(Deadline))!;
        Assert.Equal(CommandState.Rejected, finished.State);
        Assert.Equal("The local policy does not list service nginx.service", finished.Result!.Reason);
        var posted = Assert.IsType<PlaybookInput.CommandResultReceived>(Assert.Single(_h.Posted()));
        Assert.Equal(("agent-1", record.CommandId), (posted.AgentId, posted.Result.CommandId));
        Assert.Equal(1, _h.Counters.FinishedCount(CommandState.Rejected));
    }

    [Fact]
    public void WriteResult_RepeatedOrOtherAgents_StoresTheFirstOneOnly()
    {
        _h.Connect();
        CommandRecord record = _h.Exec();

        Assert.False(_h.StoreResult("agent-2", Result(record.CommandId, CommandStatus.Succeeded, "forged")));
        Assert.True(_h.StoreResult("agent-1", Result(record.CommandId, CommandStatus.Failed, "first")));
        Assert.False(_h.StoreResult("agent-1", Result(record.CommandId, CommandStatus.Succeeded, "repeat")));

        CommandRecord stored = _h.Repository.Get(record.CommandId)!;
        Assert.Equal((CommandState.Failed, "first"), (stored.State, stored.Result!.Reason));
    }

    [Fact]
    public void WriteResult_OutputAboveTheLimit_IsCutOnACharacterBoundaryAndFlagged()
    {
        _h.Options.MaxOutputBytes = 1024;
        _h.Connect();
        CommandRecord record = _h.Exec();

        _h.StoreResult("agent-1", new CommandResult { CommandId = record.CommandId, Status = CommandStatus.Succeeded, Output = new string('é', 2000) });

        CommandResultRecord stored = _h.Repository.Get(record.CommandId)!.Result!;
        Assert.True(stored.OutputTruncated);
        Assert.Equal(512, stored.Output.Length);
    }

    [Fact]
    public void OnPlaybookSend_NewThenRedelivered_MadeOnceAndSentOnce()
    {
        AgentConnection stream = _h.Connect();
        (PlaybookRun run, Command command) = PlaybookCommand();

        _h.Dispatcher.OnPlaybookSend(run, command, redelivery: false);
        _h.Dispatcher.OnPlaybookSend(run, command, redelivery: true);

        Assert.Single(DispatcherHarness.Sent(stream));
        CommandRecord stored = _h.Repository.Get(command.CommandId)!;
        Assert.Equal(("playbook:fix-nginx", "fix-nginx", run.RunId, "inc-1"), (stored.IssuedBy, stored.Playbook, stored.RunId, stored.IncidentId));
    }

    [Fact]
    public void OnPlaybookSend_RedeliveredAfterRestartWithAStoredResult_HandsTheResultToThePlaybooksAgain()
    {
        _h.Connect();
        (PlaybookRun run, Command command) = PlaybookCommand();
        _h.Dispatcher.OnPlaybookSend(run, command, redelivery: false);
        _h.StoreResult("agent-1", Result(command.CommandId, CommandStatus.Succeeded, ""));

        // The collector stopped between the commit and the hand-over; the restarted engine repeats its command.
        _h.Restart();
        _h.Dispatcher.OnPlaybookSend(run, command, redelivery: true);

        var posted = Assert.IsType<PlaybookInput.CommandResultReceived>(Assert.Single(_h.Posted()));
        Assert.Equal((command.CommandId, CommandStatus.Succeeded), (posted.Result.CommandId, posted.Result.Status));
    }

    [Fact]
    public async Task ApproveAsync_AwaitingApproval_TheEngineStampsItAndItIsSignedAndSentWithTheApprover()
    {
        AgentConnection stream = _h.Connect();
        (PlaybookRun run, Command command) = PlaybookCommand(stamped: false);
        _h.Dispatcher.OnApprovalRequested(run, command, DispatcherHarness.Start.AddHours(1), redelivery: false);
        Assert.Empty(DispatcherHarness.Sent(stream));
        Assert.Equal(CommandState.AwaitingApproval, _h.Dispatcher.Find(command.CommandId)!.State);

        // Plays the engine: it hears the approval and hands out the command with a fresh issue time, expiry and nonce.
        Task engine = Task.Run(
            async () =>
            {
                PlaybookInput input = await _h.Inbox.Reader.ReadAsync(Deadline);
                var approval = Assert.IsType<PlaybookInput.ApprovalDecided>(input);
                Assert.True(approval.Approved);
                _h.Dispatcher.OnPlaybookSend(run with { ApprovedBy = approval.DecidedBy }, Stamp(command.Clone()), redelivery: false);
            },
            Deadline);
        CommandRecord approved = await _h.Dispatcher.ApproveAsync(command.CommandId, "user:bob", "go ahead", Deadline);
        await engine.WaitAsync(Deadline);

        Assert.Equal((CommandState.Sent, "user:bob", "go ahead"), (approved.State, approved.DecidedBy, approved.DecisionComment));
        Assert.Equal(command.CommandId, Command.Parser.ParseFrom(Assert.Single(DispatcherHarness.Sent(stream)).Command).CommandId);
    }

    [Fact]
    public async Task DenyAsync_AwaitingApproval_NeverSentAndThePlaybookIsTold()
    {
        AgentConnection stream = _h.Connect();
        (PlaybookRun run, Command command) = PlaybookCommand(stamped: false);
        _h.Dispatcher.OnApprovalRequested(run, command, DispatcherHarness.Start.AddHours(1), redelivery: false);

        CommandRecord denied = await _h.Dispatcher.DenyAsync(command.CommandId, "user:bob", "not during the sale", Deadline);

        Assert.Equal(CommandState.Denied, denied.State);
        Assert.Equal("denied by user:bob: not during the sale", denied.StateReason);
        Assert.False(Assert.IsType<PlaybookInput.ApprovalDecided>(Assert.Single(_h.Posted())).Approved);
        Assert.Empty(DispatcherHarness.Sent(stream));
        var again = await Assert.ThrowsAsync<CommandDispatchException>(() => _h.Dispatcher.ApproveAsync(command.CommandId, "user:eve", "", Deadline));
        Assert.Equal(CommandDispatchFailure.WrongState, again.Failure);
    }

    [Fact]
    public void OnApprovalWithdrawn_BeforeOrAfterTheDeadline_CancelledOrExpired()
    {
        (PlaybookRun run, Command command) = PlaybookCommand(stamped: false, id: "r1-1");
        (PlaybookRun run2, Command command2) = PlaybookCommand(stamped: false, id: "r2-1");
        _h.Dispatcher.OnApprovalRequested(run, command, DispatcherHarness.Start.AddMinutes(30), redelivery: false);
        _h.Dispatcher.OnApprovalRequested(run2, command2, DispatcherHarness.Start.AddMinutes(30), redelivery: false);

        _h.Dispatcher.OnApprovalWithdrawn(run, command.CommandId, "the signal recovered while the command waited for approval");
        _h.Time.Advance(TimeSpan.FromMinutes(31));
        _h.Dispatcher.OnApprovalWithdrawn(run2, command2.CommandId, "nobody approved it within 30m");

        Assert.Equal(CommandState.Cancelled, _h.Dispatcher.Find(command.CommandId)!.State);
        Assert.Equal(CommandState.Expired, _h.Dispatcher.Find(command2.CommandId)!.State);
        Assert.Contains("nobody approved it within 30m", _h.Dispatcher.Find(command2.CommandId)!.StateReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_AgentWithTheMostUnfinishedCommands_RefusedAndNothingStored()
    {
        _h.Options.MaxOpenPerAgent = 2;
        _h.Exec();
        _h.Exec();

        var refused = Assert.Throws<CommandDispatchException>(() => _h.Exec());

        Assert.Equal(CommandDispatchFailure.TooMany, refused.Failure);
        Assert.Equal(2, _h.Repository.List(new CommandFilter([], null, 0, null, 100)).Commands.Count);
    }

    [Fact]
    public async Task ExecuteAsync_FinishedCommand_WritesItsAuditEntry()
    {
        await _h.Audit.StartAsync(Deadline);
        await _h.Dispatcher.StartAsync(Deadline);
        _h.Connect();
        CommandRecord record = _h.Exec();
        CommandResult result = Result(record.CommandId, CommandStatus.Succeeded, "");
        _h.StoreResult("agent-1", result);
        await _h.Dispatcher.ResultsStoredAsync("agent-1", [result], Deadline);

        while (!_h.Audit.List(0, 10).Events.Any(e => e.Method == "command.finished"))
        {
            await Task.Delay(10, Deadline);
        }

        var entry = _h.Audit.List(0, 10).Events.Single(e => e.Method == "command.finished");
        Assert.Equal(("user:alice", "succeeded"), (entry.ActorName, entry.Outcome));
        Assert.Contains("(restart_service nginx) on host-agent-1", entry.Detail, StringComparison.Ordinal);
        await _h.Dispatcher.StopAsync(Deadline);
        await _h.Audit.StopAsync(Deadline);
    }

    private static CommandResult Result(string id, CommandStatus status = CommandStatus.Succeeded, string reason = "") =>
        new() { CommandId = id, Status = status, Reason = reason, DurationMs = 5 };

    private (PlaybookRun Run, Command Command) PlaybookCommand(bool stamped = true, string id = "r0123456789abcdef-1")
    {
        Playbook playbook = PlaybookParser.Parse("""
            name: fix-nginx
            match: { kind: incident_opened }
            actions:
              - restart_service: { service: nginx }
            """).Playbook!;
        var trigger = new PlaybookTrigger(
            TriggerKind.IncidentOpened, "inc-1", "agent-1", "host-agent-1", new Dictionary<string, string>(), "http.server.duration", null,
            TriggerSeverity.Warning, DispatcherHarness.Start, "latency up");
        var run = new PlaybookRun(
            id[..id.IndexOf('-', StringComparison.Ordinal)], playbook, trigger, RunState.AwaitingResult, 0, "restart_service nginx", null, null, false, null,
            DispatcherHarness.Start, DispatcherHarness.Start, null, null, null, []);
        var command = new Command
        {
            CommandId = id,
            AgentId = "agent-1",
            IssuedBy = playbook.IssuedBy,
            Reason = "latency up (incident inc-1)",
            TimeoutSeconds = 60,
            Service = new ServiceAction { Operation = ServiceAction.Types.Operation.Restart, Service = "nginx" },
        };
        return (run, stamped ? Stamp(command) : command);
    }

    private Command Stamp(Command command)
    {
        command.IssuedUnixMs = _h.Time.GetUtcNow().ToUnixTimeMilliseconds();
        command.ExpiresUnixMs = command.IssuedUnixMs + 600_000;
        command.Nonce = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(16));
        return command;
    }
}
