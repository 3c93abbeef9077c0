namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>Why a matching trigger did not start a run. The label value on /metrics is the snake_case name.</summary>
internal enum SkipReason
{
    /// <summary><c>already_running</c>: the playbook is already running on this host for another incident.</summary>
    AlreadyRunning,

    /// <summary><c>circuit_open</c>: the circuit breaker of this playbook on this host is open.</summary>
    CircuitOpen,

    /// <summary><c>cooldown</c>: the playbook ran on this host too recently.</summary>
    Cooldown,

    /// <summary><c>budget_hosts</c>: the playbook already runs on its maximum number of hosts.</summary>
    BudgetHosts,

    /// <summary><c>budget_hourly</c>: the playbook already started its maximum number of runs in the last hour.</summary>
    BudgetHourly,
}
