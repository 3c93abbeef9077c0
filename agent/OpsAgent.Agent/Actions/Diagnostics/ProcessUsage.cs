namespace OpsAgent.Agent.Actions.Diagnostics;

/// <summary>A process's resident memory and its CPU use over the sampling window (100 = one core busy).</summary>
internal sealed record ProcessUsage(int Pid, string Name, long ResidentBytes, double CpuPercent);
