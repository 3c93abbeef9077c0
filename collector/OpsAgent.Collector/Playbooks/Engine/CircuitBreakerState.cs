namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>The circuit breaker of one playbook on one host.</summary>
/// <param name="Target">Playbook and agent.</param>
/// <param name="Position">Closed, open or half-open.</param>
/// <param name="OpenedAt">When it last opened.</param>
/// <param name="Failures">End times of runs that did not fix the problem, within the breaker's window (while closed).</param>
internal sealed record CircuitBreakerState(PlaybookTarget Target, BreakerPosition Position, DateTimeOffset? OpenedAt, IReadOnlyList<DateTimeOffset> Failures)
{
    public static CircuitBreakerState Closed(PlaybookTarget target) => new(target, BreakerPosition.Closed, null, []);
}
