using System.Diagnostics;

namespace OpsAgent.Agent.Actions.Signals;

/// <summary>Process names as .NET reports them, which is what policies list (Linux: the executable's name, untruncated).</summary>
internal static class ProcessNames
{
    /// <summary>The name of process <paramref name="pid"/>, or null when no such process runs.</summary>
    public static string? Of(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.ProcessName;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
