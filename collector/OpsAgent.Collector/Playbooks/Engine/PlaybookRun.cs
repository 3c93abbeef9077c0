using OpsAgent.Collector.Playbooks.Format;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>
/// One run of one playbook for one (agent, incident): immutable; the engine replaces it on every change, so a
/// snapshot handed to the Admin API never changes under its reader.
/// </summary>
/// <param name="RunId">Stable id ("r" and 16 hex digits); command ids are <c>RUNID-STEP</c>.</param>
/// <param name="Playbook">The definition the run started with; edits to the playbook apply to later runs.</param>
/// <param name="Trigger">What started it.</param>
/// <param name="State">Where it is.</param>
/// <param name="StepIndex">0-based index of the current (or, once ended, the last) step.</param>
/// <param name="CurrentAction">The current step's action as rendered ("restart_service nginx").</param>
/// <param name="Command">The current step's command while it awaits approval or its result.</param>
/// <param name="Deadline">When the current state times out; null once ended.</param>
/// <param name="SignalRecovered">The triggering signal has recovered since the current step began.</param>
/// <param name="ApprovedBy">Who approved the current step's command, when approval was required.</param>
/// <param name="StartedAt">When the run began.</param>
/// <param name="UpdatedAt">Last change.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Reason">Why it ended, for people.</param>
/// <param name="Attempts">Finished steps, in order.</param>
internal sealed record PlaybookRun(
    string RunId,
    Playbook Playbook,
    PlaybookTrigger Trigger,
    RunState State,
    int StepIndex,
    string CurrentAction,
    Command? Command,
    DateTimeOffset? Deadline,
    bool SignalRecovered,
    string? ApprovedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? EndedAt,
    RunOutcome? Outcome,
    string? Reason,
    IReadOnlyList<StepAttempt> Attempts)
{
    public string PlaybookName => Playbook.Name;

    public string AgentId => Trigger.AgentId;

    public string Host => Trigger.Host;

    public string IncidentId => Trigger.IncidentId;

    public bool IsActive => State != RunState.Ended;

    public PlaybookStep CurrentStep => Playbook.Steps[StepIndex];

    public PlaybookTarget Target => new(Playbook.Name, Trigger.AgentId);
}
