using System.Runtime.InteropServices;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Identity;

/// <summary>Reads the facts about this host that the agent reports in Hello.</summary>
internal static class HostFactsProvider
{
    public static HostFacts Read()
    {
        var facts = new HostFacts
        {
            Os = OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsLinux() ? "linux" : RuntimeInformation.OSDescription,
            Arch = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            CpuCount = (uint)Environment.ProcessorCount,
            Kernel = Environment.OSVersion.Version.ToString(),
            OsVersion = RuntimeInformation.OSDescription,
            BootTimeUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - Environment.TickCount64,
        };

        if (OperatingSystem.IsLinux())
        {
            facts.OsVersion = ReadOsRelease() ?? facts.OsVersion;
            facts.Kernel = ReadFirstLine("/proc/sys/kernel/osrelease") ?? facts.Kernel;
            facts.MachineId = ReadFirstLine("/etc/machine-id") ?? "";
            facts.MemoryBytes = ReadMemTotal() ?? 0;
        }
        else
        {
            facts.MemoryBytes = (ulong)Math.Max(0, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        }

        return facts;
    }

    private static string? ReadOsRelease()
    {
        string? text = TryRead("/etc/os-release");
        if (text is null)
        {
            return null;
        }

        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            {
                return line["PRETTY_NAME=".Length..].Trim().Trim('"');
            }
        }

        return null;
    }

    private static ulong? ReadMemTotal()
    {
        string? text = TryRead("/proc/meminfo");
        if (text is null)
        {
            return null;
        }

        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && ulong.TryParse(parts[1], out ulong kb))
                {
                    return kb * 1024;
                }
            }
        }

        return null;
    }

    private static string? ReadFirstLine(string path) => TryRead(path)?.Split('\n')[0].Trim() is { Length: > 0 } s ? s : null;

    // Facts are best effort: a host without /etc/machine-id is still a host.
    private static string? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
