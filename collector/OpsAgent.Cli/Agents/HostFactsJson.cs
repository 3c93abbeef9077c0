using OpsAgent.Cli.Output;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Agents;

/// <summary>An agent's host facts in JSON output (part of the stable JSON contract: add fields, never rename).</summary>
internal sealed record HostFactsJson(
    string Os,
    string OsVersion,
    string Kernel,
    string Arch,
    uint CpuCount,
    ulong MemoryBytes,
    string? BootTime,
    string MachineId)
{
    public static HostFactsJson From(HostFacts? facts)
    {
        facts ??= new HostFacts();
        return new HostFactsJson(
            facts.Os, facts.OsVersion, facts.Kernel, facts.Arch, facts.CpuCount, facts.MemoryBytes,
            TimeFormatter.ToRfc3339(facts.BootTimeUnixMs), facts.MachineId);
    }
}
