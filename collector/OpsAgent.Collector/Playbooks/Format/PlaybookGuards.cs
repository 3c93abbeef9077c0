namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>
/// <c>guards</c>: what keeps a playbook from doing harm. Every guard has a safe default, so a playbook without a
/// guards section still cannot restart the whole fleet or loop on a flapping service.
/// </summary>
/// <param name="Cooldown">After a run on a host ends, the playbook does not start again on that host for this long.</param>
/// <param name="MaxHosts">At most this many hosts have a run of this playbook at the same time (fleet-wide).</param>
/// <param name="MaxRunsPerHour">At most this many runs start in any sliding hour (fleet-wide).</param>
/// <param name="ApprovalRequired">Every command waits for an operator (<c>opsctl commands approve ID</c>).</param>
/// <param name="ApprovalTimeout">A command not approved within this time is dropped and the run escalated.</param>
/// <param name="DryRun">Commands are sent with dry_run: agents check policy and report, change nothing.</param>
/// <param name="CircuitBreaker">Stops the playbook on a host where it keeps failing.</param>
internal sealed record PlaybookGuards(
    TimeSpan Cooldown,
    int MaxHosts,
    int MaxRunsPerHour,
    bool ApprovalRequired,
    TimeSpan ApprovalTimeout,
    bool DryRun,
    CircuitBreakerSettings CircuitBreaker)
{
    public static PlaybookGuards Default { get; } = new(
        TimeSpan.FromMinutes(15), 5, 20, ApprovalRequired: false, TimeSpan.FromHours(1), DryRun: false, CircuitBreakerSettings.Default);
}
