namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>
/// <c>guards.circuit_breaker</c>: after <see cref="FailedRuns"/> runs on one host that did not fix it within
/// <see cref="Window"/>, the playbook stops acting on that host for <see cref="OpenFor"/>; then one trial run is
/// allowed, which closes the breaker if it fixes the problem and opens it again if it does not.
/// </summary>
internal sealed record CircuitBreakerSettings(int FailedRuns, TimeSpan Window, TimeSpan OpenFor)
{
    public static CircuitBreakerSettings Default { get; } = new(3, TimeSpan.FromHours(24), TimeSpan.FromHours(6));
}
