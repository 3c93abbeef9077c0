using OpsAgent.Cli.Output;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Playbooks;

/// <summary>The circuit breaker of a playbook on one host.</summary>
internal sealed record CircuitBreakerJson(string AgentId, string Hostname, string Position, string? Opened, string? OpenUntil, uint RecentFailures)
{
    public static CircuitBreakerJson From(CircuitBreakerInfo b) => new(
        b.AgentId, b.Hostname, b.Position, TimeFormatter.ToRfc3339(b.OpenedUnixMs), TimeFormatter.ToRfc3339(b.OpenUntilUnixMs), b.RecentFailures);
}
