using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Protocol;
using static OpsAgent.Collector.Tests.Playbooks.Engine.EngineHarness;

namespace OpsAgent.Collector.Tests.Playbooks.Engine;

public sealed class PlaybookEngineTests
{
    private static readonly string TwoSteps = """
        - restart_service: { service: "{{ labels.service }}" }
          timeout: 45s
        - run_script: { name: deep-fix.sh, args: ["{{ host }}"] }
        """;

    [Fact]
    public void Handle_MatchingTrigger_StartsRunAndSendsTheFirstStep()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(steps: TwoSteps));

        IReadOnlyList<PlaybookDecision> decisions = h.Raise(Trigger());

        Assert.Equal(["RunStarted", "SendCommand"], decisions.Kinds());
        PlaybookDecision.SendCommand send = decisions.Single<PlaybookDecision.SendCommand>();
        Command command = send.Command;
        Assert.False(send.Redelivery);
        Assert.Equal($"{send.Run.RunId}-1", command.CommandId);
        Assert.Equal("agent-1", command.AgentId);
        Assert.Equal("playbook:fix-nginx", command.IssuedBy);
        Assert.Contains("incident inc-1 on web-1; playbook fix-nginx step 1 of 2", command.Reason, StringComparison.Ordinal);
        Assert.Equal(Start.ToUnixTimeMilliseconds(), command.IssuedUnixMs);
        Assert.Equal((Start + TimeSpan.FromMinutes(10)).ToUnixTimeMilliseconds(), command.ExpiresUnixMs);
        Assert.Equal(16, command.Nonce.Length);
        Assert.False(command.DryRun);
        Assert.Equal(45u, command.TimeoutSeconds);
        Assert.Equal((ServiceAction.Types.Operation.Restart, "nginx"), (command.Service.Operation, command.Service.Service));
        Assert.Equal(RunState.AwaitingResult, send.Run.State);
        Assert.Equal(Start + TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(45) + TimeSpan.FromSeconds(30), send.Run.Deadline);
        Assert.Equal(1, h.Counters.Started("fix-nginx"));
    }

    [Fact]
    public void Handle_TriggerNoPlaybookMatches_DecidesNothing()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook());

        Assert.Empty(h.Raise(Trigger() with { Metric = "system.memory.usage" }));
        Assert.Empty(h.Raise(Trigger() with { Kind = TriggerKind.ExhaustionForecast }));
        Assert.Empty(h.Engine.Runs);
    }

    [Fact]
    public void Handle_SameIncidentRaisedAgain_DoesNotStartASecondRun()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook());
        h.Raise(Trigger());

        Assert.Empty(h.Raise(Trigger() with { Kind = TriggerKind.AnomalyRaised }));
        Assert.Single(h.Engine.Runs);
    }

    [Fact]
    public void Handle_DisabledPlaybook_NeverStarts()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(enabled: false));

        Assert.Empty(h.Raise(Trigger()));
    }

    [Fact]
    public void Handle_SucceededAndSignalRecoversWithinWindow_ResolvesTheIncident()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(steps: TwoSteps));
        string commandId = h.Raise(Trigger()).SentCommand().CommandId;

        Assert.Empty(h.Result(commandId, CommandStatus.Succeeded));
        Assert.Equal(RunState.Verifying, h.Engine.Runs.Single().State);
        h.Time.Advance(TimeSpan.FromSeconds(40));
        IReadOnlyList<PlaybookDecision> decisions = h.Recover();

        Assert.Equal(["ResolveIncident", "RunEnded"], decisions.Kinds());
        PlaybookRun run = decisions.Single<PlaybookDecision.RunEnded>().Run;
        Assert.Equal(RunOutcome.Resolved, run.Outcome);
        StepAttempt fix = Assert.Single(run.Attempts);
        Assert.Equal((1, StepOutcome.Fixed, "restart_service nginx", commandId), (fix.StepNumber, fix.Outcome, fix.Action, fix.CommandId));
        Assert.Contains("recovered 40s later", fix.Detail, StringComparison.Ordinal);
        Assert.Contains("fixed incident inc-1 on web-1 with step 1 (restart_service nginx)", decisions.Single<PlaybookDecision.ResolveIncident>().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_NotRecoveredAfterEachStep_TriesTheNextStepThenEscalates()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(steps: TwoSteps));
        string first = h.Raise(Trigger()).SentCommand().CommandId;
        h.Result(first, CommandStatus.Succeeded);

        Assert.Empty(h.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromMilliseconds(1)));
        Command second = h.Advance(TimeSpan.FromMilliseconds(1)).SentCommand();
        Assert.Equal(first[..^1] + "2", second.CommandId);
        Assert.Equal(("deep-fix.sh", "web-1"), (second.Script.Name, second.Script.Args.Single()));
        h.Result(second.CommandId, CommandStatus.Succeeded);
        IReadOnlyList<PlaybookDecision> end = h.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(["EscalateIncident", "RunEnded"], end.Kinds());
        PlaybookRun run = end.Single<PlaybookDecision.RunEnded>().Run;
        Assert.Equal(RunOutcome.Escalated, run.Outcome);
        Assert.Equal([StepOutcome.NotFixed, StepOutcome.NotFixed], run.Attempts.Select(a => a.Outcome));
        string message = end.Single<PlaybookDecision.EscalateIncident>().Message;
        Assert.Contains("could not fix incident inc-1 on web-1", message, StringComparison.Ordinal);
        Assert.Contains("step 1 restart_service nginx: succeeded, but the signal did not recover within 2m", message, StringComparison.Ordinal);
        Assert.Contains("step 2 run_script deep-fix.sh web-1", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData((int)CommandStatus.Failed, "failed: exit 3", (int)StepOutcome.Failed)]
    [InlineData((int)CommandStatus.Rejected, "rejected by the agent: policy does not allow restarting nginx", (int)StepOutcome.Rejected)]
    [InlineData((int)CommandStatus.TimedOut, "stopped by the agent after its timeout of 45s", (int)StepOutcome.TimedOut)]
    public void Handle_StepDidNotRun_GoesStraightToTheNextStep(int statusValue, string detail, int outcomeValue)
    {
        var status = (CommandStatus)statusValue;
        var outcome = (StepOutcome)outcomeValue;
        using var h = new EngineHarness();
        h.Apply(Playbook(steps: TwoSteps));
        string first = h.Raise(Trigger()).SentCommand().CommandId;

        string reason = status == CommandStatus.Failed ? "exit 3" : status == CommandStatus.Rejected ? "policy does not allow restarting nginx" : "";
        IReadOnlyList<PlaybookDecision> decisions = h.Result(first, status, reason);

        PlaybookDecision.SendCommand next = decisions.Single<PlaybookDecision.SendCommand>();
        Assert.Equal("deep-fix.sh", next.Command.Script.Name);
        StepAttempt attempt = Assert.Single(next.Run.Attempts);
        Assert.Equal(outcome, attempt.Outcome);
        Assert.StartsWith(detail, attempt.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_NoResultByTheDeadline_CountsAsNotDoneAndMovesOn()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook());
        PlaybookRun run = h.Raise(Trigger()).Single<PlaybookDecision.SendCommand>().Run;

        Assert.Empty(h.Advance(run.Deadline!.Value - h.Time.GetUtcNow() - TimeSpan.FromSeconds(1)));
        IReadOnlyList<PlaybookDecision> decisions = h.Advance(TimeSpan.FromSeconds(1));

        PlaybookRun ended = decisions.Single<PlaybookDecision.RunEnded>().Run;
        Assert.Equal(RunOutcome.Escalated, ended.Outcome);
        Assert.Equal(StepOutcome.NoResult, ended.Attempts.Single().Outcome);
        Assert.Contains("agent stayed offline", ended.Attempts.Single().Detail, StringComparison.Ordinal);
        Assert.Empty(h.Result($"{run.RunId}-1", CommandStatus.Succeeded)); // a late result changes nothing
    }

    [Fact]
    public void Handle_ParameterMissingFromTrigger_SkipsTheStepWithTheReason()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(steps: "- restart_service: { service: \"{{ labels.unit }}\" }\n- restart_service: { service: nginx }"));

        IReadOnlyList<PlaybookDecision> decisions = h.Raise(Trigger());

        PlaybookDecision.SendCommand send = decisions.Single<PlaybookDecision.SendCommand>();
        Assert.EndsWith("-2", send.Command.CommandId, StringComparison.Ordinal);
        StepAttempt skipped = Assert.Single(send.Run.Attempts);
        Assert.Equal((StepOutcome.InvalidParameters, (string?)null), (skipped.Outcome, skipped.CommandId));
        Assert.Contains("no label 'unit'", skipped.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_DiagnosticsStep_DoesNotWaitForRecovery()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(steps: "- collect_diagnostics: { top_processes: 5 }\n- restart_service: { service: nginx }"));
        Command diagnostics = h.Raise(Trigger()).SentCommand();
        Assert.Equal(5u, diagnostics.Diagnostics.TopProcesses);

        IReadOnlyList<PlaybookDecision> decisions = h.Engine.Handle(new PlaybookInput.CommandResultReceived(
            "agent-1", new CommandResult { CommandId = diagnostics.CommandId, Status = CommandStatus.Succeeded, Output = "java 2.1 GiB\nnginx 80 MiB" }));

        PlaybookDecision.SendCommand restart = decisions.Single<PlaybookDecision.SendCommand>();
        Assert.Equal("nginx", restart.Command.Service.Service);
        Assert.Equal(StepOutcome.Informational, restart.Run.Attempts.Single().Outcome);
        Assert.Contains("java 2.1 GiB nginx 80 MiB", restart.Run.Attempts.Single().Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_RecoveredWhileCommandInFlight_ResolvesWhenItSucceeds()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook());
        string commandId = h.Raise(Trigger()).SentCommand().CommandId;
        Assert.Empty(h.Recover());

        IReadOnlyList<PlaybookDecision> decisions = h.Result(commandId, CommandStatus.Succeeded);

        Assert.Equal(["ResolveIncident", "RunEnded"], decisions.Kinds());
    }

    [Fact]
    public void Handle_RecoveredThenRaisedAgainBeforeTheResult_StillVerifies()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook());
        string commandId = h.Raise(Trigger()).SentCommand().CommandId;
        h.Recover();
        h.Raise(Trigger());

        Assert.DoesNotContain(h.Result(commandId, CommandStatus.Succeeded), d => d is PlaybookDecision.RunEnded);
        Assert.Equal(RunState.Verifying, h.Engine.Runs.Single().State);
    }

    [Fact]
    public void Handle_RecoveredAfterAFailedStep_EndsRecoveredWithoutFurtherSteps()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(steps: TwoSteps));
        string commandId = h.Raise(Trigger()).SentCommand().CommandId;
        h.Recover();

        IReadOnlyList<PlaybookDecision> decisions = h.Result(commandId, CommandStatus.Failed, "unit not found");

        Assert.Equal(["RunEnded"], decisions.Kinds());
        Assert.Equal(RunOutcome.Recovered, decisions.Single<PlaybookDecision.RunEnded>().Run.Outcome);
    }

    [Fact]
    public void Handle_ResultFromAnotherAgent_IsIgnored()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook());
        string commandId = h.Raise(Trigger()).SentCommand().CommandId;

        Assert.Empty(h.Result(commandId, CommandStatus.Succeeded, agentId: "agent-evil"));
        Assert.Empty(h.Result("not-a-playbook-command", CommandStatus.Succeeded));
        Assert.Equal(RunState.AwaitingResult, h.Engine.Runs.Single().State);
    }

    [Fact]
    public void Handle_WithinCooldown_SkipsWithTheTimeItMayRunAgain()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(guards: "cooldown: 30m"));
        EndWithEscalation(h, Trigger());
        h.Time.Advance(TimeSpan.FromMinutes(29));

        IReadOnlyList<PlaybookDecision> skipped = h.Raise(Trigger("inc-2"));

        PlaybookDecision.SkipTrigger skip = skipped.Single<PlaybookDecision.SkipTrigger>();
        Assert.Equal(SkipReason.Cooldown, skip.Reason);
        Assert.Contains("cooldown is 30m", skip.Message, StringComparison.Ordinal);
        Assert.Contains($"may run there again from {Stamp(h.Time.GetUtcNow() + TimeSpan.FromMinutes(1))}", skip.Message, StringComparison.Ordinal);
        Assert.Equal(1, h.Counters.SkippedCount("fix-nginx", SkipReason.Cooldown));
        Assert.Single(h.Raise(Trigger("inc-3", agent: "agent-2", host: "web-2")).OfType<PlaybookDecision.SendCommand>()); // other host: no cooldown
        h.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(h.Raise(Trigger("inc-4")).OfType<PlaybookDecision.SendCommand>());
    }

    [Fact]
    public void Handle_AlreadyRunningOnTheHostForAnotherIncident_Skips()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook());
        h.Raise(Trigger());

        PlaybookDecision.SkipTrigger skip = h.Raise(Trigger("inc-2")).Single<PlaybookDecision.SkipTrigger>();

        Assert.Equal(SkipReason.AlreadyRunning, skip.Reason);
        Assert.Contains("already running there for incident inc-1", skip.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_MaxHostsReached_SkipsUntilARunEnds()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(guards: "cooldown: 0s\nbudget: { max_hosts: 2, max_runs_per_hour: 100 }"));
        string first = h.Raise(Trigger("inc-1", "agent-1", "web-1")).SentCommand().CommandId;
        h.Raise(Trigger("inc-2", "agent-2", "web-2"));

        PlaybookDecision.SkipTrigger skip = h.Raise(Trigger("inc-3", "agent-3", "web-3")).Single<PlaybookDecision.SkipTrigger>();
        Assert.Equal(SkipReason.BudgetHosts, skip.Reason);
        Assert.Contains("already running on 2 host(s) (web-1, web-2)", skip.Message, StringComparison.Ordinal);

        h.Result(first, CommandStatus.Succeeded);
        h.Recover("agent-1", "inc-1");
        Assert.Single(h.Raise(Trigger("inc-4", "agent-3", "web-3")).OfType<PlaybookDecision.SendCommand>());
    }

    [Fact]
    public void Handle_MaxRunsPerHourReached_SkipsUntilTheOldestRunIsAnHourOld()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(guards: "cooldown: 0s\nbudget: { max_hosts: 10, max_runs_per_hour: 2 }"));
        EndWithEscalation(h, Trigger("inc-1"));
        h.Time.Advance(TimeSpan.FromMinutes(10));
        EndWithEscalation(h, Trigger("inc-2", "agent-2", "web-2"));

        PlaybookDecision.SkipTrigger skip = h.Raise(Trigger("inc-3", "agent-3", "web-3")).Single<PlaybookDecision.SkipTrigger>();
        Assert.Equal(SkipReason.BudgetHourly, skip.Reason);
        Assert.Contains($"started 2 run(s) in the last hour", skip.Message, StringComparison.Ordinal);
        Assert.Contains($"next run may start from {Stamp(Start + TimeSpan.FromHours(1))}", skip.Message, StringComparison.Ordinal);

        h.Time.Advance(Start + TimeSpan.FromHours(1) - h.Time.GetUtcNow());
        Assert.Single(h.Raise(Trigger("inc-4", "agent-3", "web-3")).OfType<PlaybookDecision.SendCommand>());
    }

    [Fact]
    public void Handle_ApprovalRequired_WaitsThenSendsTheSameCommandWhenGranted()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(guards: "cooldown: 0s\napproval_required: true\napproval_timeout: 30m"));

        IReadOnlyList<PlaybookDecision> requested = h.Raise(Trigger());
        Assert.Equal(["RunStarted", "RequestApproval"], requested.Kinds());
        PlaybookDecision.RequestApproval request = requested.Single<PlaybookDecision.RequestApproval>();
        Assert.Equal(Start + TimeSpan.FromMinutes(30), request.Deadline);
        Assert.Equal(RunState.AwaitingApproval, request.Run.State);
        Assert.Empty(h.Advance(TimeSpan.FromMinutes(10)));

        PlaybookDecision.SendCommand send = h.Approve(request.Command.CommandId, approved: true).Single<PlaybookDecision.SendCommand>();
        Assert.Equal(request.Command.CommandId, send.Command.CommandId);
        Assert.Equal((Start + TimeSpan.FromMinutes(10)).ToUnixTimeMilliseconds(), send.Command.IssuedUnixMs);
        Assert.Equal("user:alice", send.Run.ApprovedBy);
        Assert.Empty(h.Approve(request.Command.CommandId, approved: true)); // approving twice does nothing
    }

    [Fact]
    public void Handle_ApprovalDenied_StopsTheRunWithoutEscalatingOrCountingAFailure()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(steps: TwoSteps, guards: "cooldown: 0s\napproval_required: true\ncircuit_breaker: { failed_runs: 1 }"));
        string commandId = h.Raise(Trigger()).Single<PlaybookDecision.RequestApproval>().Command.CommandId;

        IReadOnlyList<PlaybookDecision> decisions = h.Approve(commandId, approved: false, comment: "peak hours");

        Assert.Equal(["RunEnded"], decisions.Kinds());
        PlaybookRun run = decisions.Single<PlaybookDecision.RunEnded>().Run;
        Assert.Equal(RunOutcome.Denied, run.Outcome);
        Assert.Equal("user:alice denied step 1 (restart_service nginx): peak hours; the playbook stopped there and the incident stays open.", run.Reason);
        Assert.Single(h.Raise(Trigger("inc-2")).OfType<PlaybookDecision.RequestApproval>()); // breaker still closed
    }

    [Fact]
    public void Handle_NobodyApprovesInTime_WithdrawsAndEscalates()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(steps: TwoSteps, guards: "cooldown: 0s\napproval_required: true\napproval_timeout: 30m"));
        string commandId = h.Raise(Trigger()).Single<PlaybookDecision.RequestApproval>().Command.CommandId;

        IReadOnlyList<PlaybookDecision> decisions = h.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(["WithdrawApproval", "EscalateIncident", "RunEnded"], decisions.Kinds());
        Assert.Equal(commandId, decisions.Single<PlaybookDecision.WithdrawApproval>().CommandId);
        Assert.Contains("waited 30m for approval and nobody approved it", decisions.Single<PlaybookDecision.EscalateIncident>().Message, StringComparison.Ordinal);
        Assert.Empty(h.Approve(commandId, approved: true)); // too late
    }

    [Fact]
    public void Handle_RecoveredWhileAwaitingApproval_WithdrawsTheCommand()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(guards: "cooldown: 0s\napproval_required: true"));
        h.Raise(Trigger());

        IReadOnlyList<PlaybookDecision> decisions = h.Recover();

        Assert.Equal(["WithdrawApproval", "RunEnded"], decisions.Kinds());
        Assert.Equal(RunOutcome.Recovered, decisions.Single<PlaybookDecision.RunEnded>().Run.Outcome);
    }

    [Fact]
    public void Handle_DryRun_SendsEveryStepAsDryRunWithoutApprovalOrVerification()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(steps: TwoSteps, guards: "cooldown: 0s\ndry_run: true\napproval_required: true\ncircuit_breaker: { failed_runs: 1 }"));
        Command first = h.Raise(Trigger()).SentCommand();
        Assert.True(first.DryRun);

        Command second = h.Result(first.CommandId, CommandStatus.Succeeded, "would restart nginx.service").SentCommand();
        Assert.True(second.DryRun);
        IReadOnlyList<PlaybookDecision> end = h.Result(second.CommandId, CommandStatus.Rejected, "deep-fix.sh is not allowed by policy");

        Assert.Equal(["RunEnded"], end.Kinds());
        PlaybookRun run = end.Single<PlaybookDecision.RunEnded>().Run;
        Assert.Equal(RunOutcome.DryRunCompleted, run.Outcome);
        Assert.Equal([StepOutcome.DryRun, StepOutcome.DryRun], run.Attempts.Select(a => a.Outcome));
        Assert.Contains("the agent would refuse it: deep-fix.sh is not allowed by policy", run.Reason, StringComparison.Ordinal);
        Assert.Single(h.Raise(Trigger("inc-2")).OfType<PlaybookDecision.SendCommand>()); // a dry run never trips the breaker
    }

    [Fact]
    public void Handle_CircuitBreaker_OpensHalfOpensAndCloses()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(guards: "cooldown: 0s\ncircuit_breaker: { failed_runs: 2, window: 1h, open_for: 2h }"));

        Assert.DoesNotContain(EndWithEscalation(h, Trigger("inc-1")), d => d is PlaybookDecision.CircuitOpened);
        h.Time.Advance(TimeSpan.FromMinutes(5));
        PlaybookDecision.CircuitOpened opened = EndWithEscalation(h, Trigger("inc-2")).Single<PlaybookDecision.CircuitOpened>();
        DateTimeOffset openedAt = h.Time.GetUtcNow();
        Assert.Equal(openedAt + TimeSpan.FromHours(2), opened.Until);
        Assert.Contains("2 run(s) within 1h did not fix the problem", opened.Message, StringComparison.Ordinal);

        // Open: refused on this host, other hosts unaffected.
        PlaybookDecision.SkipTrigger skip = h.Raise(Trigger("inc-3")).Single<PlaybookDecision.SkipTrigger>();
        Assert.Equal(SkipReason.CircuitOpen, skip.Reason);
        Assert.Contains($"one trial run is allowed from {Stamp(openedAt + TimeSpan.FromHours(2))}", skip.Message, StringComparison.Ordinal);
        Assert.Single(h.Raise(Trigger("inc-x", "agent-2", "web-2")).OfType<PlaybookDecision.SendCommand>());

        // Half-open: one trial; it fails, so the breaker opens again at once.
        h.Time.Advance(TimeSpan.FromHours(2));
        PlaybookDecision.CircuitOpened reopened = EndWithEscalation(h, Trigger("inc-4")).Single<PlaybookDecision.CircuitOpened>();
        Assert.Contains("trial run", reopened.Message, StringComparison.Ordinal);
        Assert.Equal(SkipReason.CircuitOpen, h.Raise(Trigger("inc-5")).Single<PlaybookDecision.SkipTrigger>().Reason);

        // Half-open again: this trial fixes it, which closes the breaker and forgets the failures.
        h.Time.Advance(TimeSpan.FromHours(2));
        string trial = h.Raise(Trigger("inc-6")).SentCommand().CommandId;
        h.Result(trial, CommandStatus.Succeeded);
        Assert.Equal(RunOutcome.Resolved, h.Recover("agent-1", "inc-6").Single<PlaybookDecision.RunEnded>().Run.Outcome);
        Assert.DoesNotContain(EndWithEscalation(h, Trigger("inc-7")), d => d is PlaybookDecision.CircuitOpened);
        Assert.Single(h.Raise(Trigger("inc-8")).OfType<PlaybookDecision.SendCommand>());
    }

    [Fact]
    public void Handle_FailuresOutsideTheWindow_DoNotOpenTheBreaker()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(guards: "cooldown: 0s\ncircuit_breaker: { failed_runs: 2, window: 1h, open_for: 2h }"));
        EndWithEscalation(h, Trigger("inc-1"));
        h.Time.Advance(TimeSpan.FromMinutes(61));

        Assert.DoesNotContain(EndWithEscalation(h, Trigger("inc-2")), d => d is PlaybookDecision.CircuitOpened);
    }

    [Fact]
    public void Handle_PlaybookDisabledMidRun_CancelsItsRuns()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(guards: "cooldown: 0s\napproval_required: true"));
        string commandId = h.Raise(Trigger()).Single<PlaybookDecision.RequestApproval>().Command.CommandId;
        h.Apply(Playbook(guards: "cooldown: 0s\napproval_required: true", enabled: false));

        IReadOnlyList<PlaybookDecision> decisions = h.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(["WithdrawApproval", "RunEnded"], decisions.Kinds());
        Assert.Equal(commandId, decisions.Single<PlaybookDecision.WithdrawApproval>().CommandId);
        PlaybookRun run = decisions.Single<PlaybookDecision.RunEnded>().Run;
        Assert.Equal(RunOutcome.Cancelled, run.Outcome);
        Assert.Contains("disabled or removed while this run was active", run.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_PlaybookEditedMidRun_TheRunFinishesWithItsOriginalSteps()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(steps: TwoSteps));
        string first = h.Raise(Trigger()).SentCommand().CommandId;
        h.Apply(Playbook(steps: "- stop_service: { service: nginx }"));

        Command second = h.Result(first, CommandStatus.Failed, "boom").SentCommand();

        Assert.Equal("deep-fix.sh", second.Script.Name);
    }

    [Fact]
    public void Handle_BeforeStart_Throws()
    {
        using var h = new EngineHarness();
        Assert.Throws<InvalidOperationException>(() => h.Engine.Start());
    }

    /// <summary>Runs one trigger through a one-step playbook to an escalation (command succeeds, signal never recovers).</summary>
    internal static IReadOnlyList<PlaybookDecision> EndWithEscalation(EngineHarness h, PlaybookTrigger trigger)
    {
        IReadOnlyList<PlaybookDecision> started = h.Raise(trigger);
        string commandId = started.SentCommand().CommandId;
        h.Result(commandId, CommandStatus.Succeeded, agentId: trigger.AgentId);
        PlaybookRun run = h.Engine.Runs.Single(r => r.IncidentId == trigger.IncidentId);
        IReadOnlyList<PlaybookDecision> end = h.Advance(run.Playbook.VerifyWindow);
        Assert.Equal(RunOutcome.Escalated, end.Single<PlaybookDecision.RunEnded>().Run.Outcome);
        return end;
    }

    internal static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
