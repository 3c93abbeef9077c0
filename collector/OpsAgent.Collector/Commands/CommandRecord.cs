using OpsAgent.Protocol;

namespace OpsAgent.Collector.Commands;

/// <summary>
/// One command as the collector keeps it: who asked for it and why, what it does, where it is, and what the agent said.
/// Immutable; the dispatcher replaces it on every change. This is the audit record of every command: the access log
/// says who called the API, this says what was done on which host, why, and with what result.
/// </summary>
/// <param name="CommandId">Idempotency key: the agent runs an id at most once.</param>
/// <param name="AgentId">The only agent it is for.</param>
/// <param name="Hostname">That agent's host name when the command was made.</param>
/// <param name="State">Where it is.</param>
/// <param name="Action">What it does, for people ("restart_service nginx").</param>
/// <param name="IssuedBy">"user:NAME" (an API token's name, or insecure-local) or "playbook:NAME".</param>
/// <param name="Reason">Why: the operator's reason, or the playbook's trigger with incident and step.</param>
/// <param name="DryRun">The agent only checks its policy and reports.</param>
/// <param name="Playbook">The playbook that made it, if any.</param>
/// <param name="RunId">The playbook run it belongs to, if any.</param>
/// <param name="IncidentId">The incident that run serves, if any.</param>
/// <param name="Command">The command; its issue time, expiry and nonce are set once it may be sent (after approval).</param>
/// <param name="Signed">The signed bytes sent to the agent; the same bytes are sent again after a reconnect.</param>
/// <param name="CreatedUnixMs">When the collector made it.</param>
/// <param name="UpdatedUnixMs">Last change.</param>
/// <param name="ApprovalDeadlineUnixMs">While awaiting approval: when the playbook gives up waiting; else 0.</param>
/// <param name="DecidedBy">Who approved or denied it.</param>
/// <param name="DecisionComment">The approver's comment.</param>
/// <param name="DecidedUnixMs">When it was approved or denied (0: never).</param>
/// <param name="FirstSentUnixMs">When it was first written to the agent's stream (0: never).</param>
/// <param name="LastSentUnixMs">When it was last written there.</param>
/// <param name="SendCount">How often it was written there (more than once after reconnects).</param>
/// <param name="StateReason">Why it is expired, cancelled or denied, for people; empty otherwise.</param>
/// <param name="Result">The agent's result, once it came.</param>
internal sealed record CommandRecord(
    string CommandId,
    string AgentId,
    string Hostname,
    CommandState State,
    string Action,
    string IssuedBy,
    string Reason,
    bool DryRun,
    string? Playbook,
    string? RunId,
    string? IncidentId,
    Command Command,
    SignedCommand? Signed,
    long CreatedUnixMs,
    long UpdatedUnixMs,
    long ApprovalDeadlineUnixMs,
    string? DecidedBy,
    string? DecisionComment,
    long DecidedUnixMs,
    long FirstSentUnixMs,
    long LastSentUnixMs,
    int SendCount,
    string StateReason,
    CommandResultRecord? Result)
{
    /// <summary>When the command stops being valid on the agent (0 while it awaits approval).</summary>
    public long ExpiresUnixMs => Command.ExpiresUnixMs;

    public bool IsFinal => CommandStates.IsFinal(State);
}
