using System.Globalization;

namespace OpsAgent.EndToEnd.Tests.Infrastructure;

/// <summary>What the kernel says about a process under test (Linux /proc): its resident memory.</summary>
internal static class ProcStatus
{
    /// <summary>VmRSS of the process, in bytes.</summary>
    public static long ResidentBytes(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                string kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS line");
    }
}
