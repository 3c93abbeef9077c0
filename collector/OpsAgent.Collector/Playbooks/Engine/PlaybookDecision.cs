using OpsAgent.Protocol;

namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>
/// What the engine decided. The runner hands decisions, in order, to every <see cref="IPlaybookDecisionHandler"/>:
/// the command dispatcher acts on <see cref="SendCommand"/>, <see cref="RequestApproval"/> and
/// <see cref="WithdrawApproval"/>; incidents on <see cref="ResolveIncident"/> and <see cref="EscalateIncident"/>;
/// the audit log and notifications on the rest. The engine's state is saved before decisions are handed out.
/// </summary>
internal abstract record PlaybookDecision
{
    /// <summary>A matching trigger started a run.</summary>
    public sealed record RunStarted(PlaybookRun Run) : PlaybookDecision;

    /// <summary>
    /// Send this command (unsigned; the dispatcher signs it) to <c>Command.agent_id</c>. Idempotent by command id:
    /// <paramref name="Redelivery"/> is true when a restarted engine repeats a command it may already have handed over,
    /// and the dispatcher must ignore a command id it already has.
    /// </summary>
    public sealed record SendCommand(PlaybookRun Run, Command Command, bool Redelivery) : PlaybookDecision;

    /// <summary>
    /// Hold this command until an operator approves or denies it (<c>opsctl commands approve ID</c>), then report with
    /// <see cref="PlaybookInput.ApprovalDecided"/>. The engine withdraws it at <paramref name="Deadline"/>.
    /// </summary>
    public sealed record RequestApproval(PlaybookRun Run, Command Command, DateTimeOffset Deadline, bool Redelivery) : PlaybookDecision;

    /// <summary>A command that waited for approval is no longer wanted (signal recovered, timeout, playbook disabled).</summary>
    public sealed record WithdrawApproval(PlaybookRun Run, string CommandId, string Reason) : PlaybookDecision;

    /// <summary>A matching trigger did not start a run because a guard said no.</summary>
    public sealed record SkipTrigger(string Playbook, PlaybookTrigger Trigger, SkipReason Reason, string Message) : PlaybookDecision;

    /// <summary>The playbook fixed the incident: mark it resolved by this playbook.</summary>
    public sealed record ResolveIncident(PlaybookRun Run, string Message) : PlaybookDecision;

    /// <summary>The playbook could not fix the incident: escalate it to people.</summary>
    public sealed record EscalateIncident(PlaybookRun Run, string Message) : PlaybookDecision;

    /// <summary>The circuit breaker of a playbook on a host opened; the playbook will not act there until <paramref name="Until"/>.</summary>
    public sealed record CircuitOpened(PlaybookTarget Target, string Host, DateTimeOffset Until, string Message) : PlaybookDecision;

    /// <summary>A run ended, whatever the outcome (after <see cref="ResolveIncident"/> or <see cref="EscalateIncident"/> when those apply).</summary>
    public sealed record RunEnded(PlaybookRun Run) : PlaybookDecision;
}
