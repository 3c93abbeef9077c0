namespace OpsAgent.Agent.Actions.Diagnostics;

/// <summary>One process at one moment: its resident memory and the CPU time it has used since it started.</summary>
internal sealed record ProcessSample(int Pid, string Name, long ResidentBytes, double CpuSeconds);
