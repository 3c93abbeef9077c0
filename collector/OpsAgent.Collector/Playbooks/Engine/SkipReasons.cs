namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>Stable snake_case names of <see cref="SkipReason"/> for /metrics, logs and the Admin API.</summary>
internal static class SkipReasons
{
    public static string Name(SkipReason reason) => reason switch
    {
        SkipReason.AlreadyRunning => "already_running",
        SkipReason.CircuitOpen => "circuit_open",
        SkipReason.Cooldown => "cooldown",
        SkipReason.BudgetHosts => "budget_hosts",
        _ => "budget_hourly",
    };
}
