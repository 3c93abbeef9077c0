using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Protocol;
using static OpsAgent.Collector.Tests.Playbooks.Engine.EngineHarness;
using static OpsAgent.Collector.Tests.Playbooks.Engine.PlaybookEngineTests;

namespace OpsAgent.Collector.Tests.Playbooks.Engine;

/// <summary>A collector restart in the middle of runs: a new engine over the same SQLite file and playbook directory.</summary>
public sealed class PlaybookEngineRestartTests
{
    [Fact]
    public void Start_RunAwaitingResult_RedeliversTheSameCommandAndAcceptsItsResult()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook());
        Command sent = h.Raise(Trigger()).SentCommand();

        h.Restart();

        PlaybookDecision.SendCommand again = h.Resumed.Single<PlaybookDecision.SendCommand>();
        Assert.True(again.Redelivery);
        Assert.Equal(sent, again.Command);
        h.Result(sent.CommandId, CommandStatus.Succeeded);
        Assert.Equal(RunOutcome.Resolved, h.Recover().Single<PlaybookDecision.RunEnded>().Run.Outcome);
    }

    [Fact]
    public void Start_VerifyWindowPassedWhileDown_MovesToTheNextStepAtOnce()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(steps: "- restart_service: { service: nginx }\n- stop_service: { service: nginx }"));
        string first = h.Raise(Trigger()).SentCommand().CommandId;
        h.Result(first, CommandStatus.Succeeded);

        h.Time.Advance(TimeSpan.FromMinutes(5));
        h.Restart();

        PlaybookDecision.SendCommand next = h.Resumed.Single<PlaybookDecision.SendCommand>();
        Assert.False(next.Redelivery);
        Assert.Equal(ServiceAction.Types.Operation.Stop, next.Command.Service.Operation);
        Assert.Equal(StepOutcome.NotFixed, next.Run.Attempts.Single().Outcome);
    }

    [Fact]
    public void Start_RunAwaitingApproval_RepeatsTheRequestAndTheApprovalStillWorks()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(guards: "cooldown: 0s\napproval_required: true\napproval_timeout: 1h"));
        PlaybookDecision.RequestApproval request = h.Raise(Trigger()).Single<PlaybookDecision.RequestApproval>();

        h.Time.Advance(TimeSpan.FromMinutes(20));
        h.Restart();

        PlaybookDecision.RequestApproval again = h.Resumed.Single<PlaybookDecision.RequestApproval>();
        Assert.True(again.Redelivery);
        Assert.Equal((request.Command.CommandId, request.Deadline), (again.Command.CommandId, again.Deadline));
        Assert.Equal(request.Command.CommandId, h.Approve(request.Command.CommandId, approved: true).SentCommand().CommandId);
    }

    [Fact]
    public void Start_ResultDeadlinePassedWhileDown_FailsTheStepCleanly()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook());
        h.Raise(Trigger());

        h.Time.Advance(TimeSpan.FromHours(1));
        h.Restart();

        Assert.Equal(["EscalateIncident", "RunEnded"], h.Resumed.Kinds());
        Assert.Equal(StepOutcome.NoResult, h.Resumed.Single<PlaybookDecision.RunEnded>().Run.Attempts.Single().Outcome);
    }

    [Fact]
    public void Start_GuardsState_SurvivesARestart()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(guards: "cooldown: 1h\nbudget: { max_hosts: 5, max_runs_per_hour: 2 }\ncircuit_breaker: { failed_runs: 1, window: 1h, open_for: 6h }"));
        EndWithEscalation(h, Trigger("inc-1", "agent-1", "web-1"));
        EndWithEscalation(h, Trigger("inc-2", "agent-2", "web-2"));

        h.Restart();

        Assert.Empty(h.Resumed);
        Assert.Empty(h.Raise(Trigger("inc-1", "agent-1", "web-1"))); // one run per incident, even after a restart
        Assert.Equal(SkipReason.CircuitOpen, h.Raise(Trigger("inc-3", "agent-1", "web-1")).Single<PlaybookDecision.SkipTrigger>().Reason);
        Assert.Equal(SkipReason.BudgetHourly, h.Raise(Trigger("inc-4", "agent-3", "web-3")).Single<PlaybookDecision.SkipTrigger>().Reason);
        h.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(SkipReason.CircuitOpen, h.Raise(Trigger("inc-5", "agent-2", "web-2")).Single<PlaybookDecision.SkipTrigger>().Reason);
        Assert.Single(h.Raise(Trigger("inc-6", "agent-3", "web-3")).OfType<PlaybookDecision.SendCommand>());
    }

    [Fact]
    public void Start_CooldownOnly_SurvivesARestart()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook(guards: "cooldown: 1h"));
        EndWithEscalation(h, Trigger("inc-1"));

        h.Restart();

        Assert.Equal(SkipReason.Cooldown, h.Raise(Trigger("inc-2")).Single<PlaybookDecision.SkipTrigger>().Reason);
    }

    [Fact]
    public void Start_DamagedRunRow_IsCancelledAndTheOthersResume()
    {
        using var h = new EngineHarness();
        h.Apply(Playbook());
        h.Raise(Trigger("inc-1", "agent-1", "web-1"));
        Command healthy = h.Raise(Trigger("inc-2", "agent-2", "web-2")).SentCommand();
        h.Sql("UPDATE playbook_runs SET data = '{ not json' WHERE incident_id = 'inc-1'; SELECT 0;");

        h.Restart();

        Assert.Equal(healthy.CommandId, h.Resumed.SentCommand().CommandId);
        Assert.Equal(1L, h.Sql("SELECT count(*) FROM playbook_runs WHERE problem LIKE 'The run could not be resumed after a restart: the stored run is not valid JSON%' AND ended_unix_ms IS NOT NULL;"));
        Assert.Empty(h.Raise(Trigger("inc-1", "agent-1", "web-1"))); // its incident already had its run
        h.Restart();
        Assert.Single(h.Resumed.OfType<PlaybookDecision.SendCommand>()); // reported once, not at every start
    }

    [Fact]
    public void Handle_EndedRunsPastRetention_AreDeleted()
    {
        using var h = new EngineHarness(new OpsAgent.Collector.Playbooks.PlaybookOptions { RunRetention = TimeSpan.FromDays(1) });
        h.Apply(Playbook());
        EndWithEscalation(h, Trigger("inc-1"));
        Assert.Equal(1L, h.Sql("SELECT count(*) FROM playbook_runs;"));

        h.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));

        Assert.Equal(0L, h.Sql("SELECT count(*) FROM playbook_runs;"));
        Assert.Empty(h.Engine.Runs);
        h.Restart();
        Assert.Empty(h.Engine.Runs);
    }
}
