namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>One step of a run as it happened: the audit trail of the run and the material of its escalation message.</summary>
/// <param name="StepNumber">1-based step number.</param>
/// <param name="Action">What it did, rendered ("restart_service nginx").</param>
/// <param name="CommandId">The command sent for it, if one was built.</param>
/// <param name="Outcome">What became of it.</param>
/// <param name="Detail">The agent's reason or output summary, or why nothing was sent.</param>
/// <param name="At">When the outcome was known.</param>
internal sealed record StepAttempt(int StepNumber, string Action, string? CommandId, StepOutcome Outcome, string Detail, DateTimeOffset At);
