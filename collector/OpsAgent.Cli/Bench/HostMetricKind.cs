namespace OpsAgent.Cli.Bench;

/// <summary>The shapes of host metrics, in the proportions a Linux host's ~460 series have them.</summary>
internal enum HostMetricKind
{
    /// <summary>A utilisation ratio rounded to 4 decimals, drifting (CPU, filesystem, memory).</summary>
    Utilization,

    /// <summary>A byte or operation counter growing by a varying amount (network, disk I/O).</summary>
    BusyCounter,

    /// <summary>A counter that rarely moves (errors, drops, idle interfaces).</summary>
    IdleCounter,

    /// <summary>An integer gauge moving in pages now and then (memory by state, processes).</summary>
    IntegerGauge,

    /// <summary>A 2-decimal gauge (load average, temperature).</summary>
    DecimalGauge,

    /// <summary>A constant (filesystem size, memory total, CPU count).</summary>
    Constant,
}
