namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>The content of /proc/loadavg.</summary>
internal readonly record struct LoadAverage(
    double OneMinute,
    double FiveMinutes,
    double FifteenMinutes,
    ulong RunnableThreads,
    ulong TotalThreads);
