namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>Stable snake_case names of <see cref="RunOutcome"/> and <see cref="StepOutcome"/> for /metrics, logs and the Admin API.</summary>
internal static class RunOutcomes
{
    public static string Name(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Resolved => "resolved",
        RunOutcome.Escalated => "escalated",
        RunOutcome.Recovered => "recovered",
        RunOutcome.Denied => "denied",
        RunOutcome.DryRunCompleted => "dry_run_completed",
        _ => "cancelled",
    };
}
