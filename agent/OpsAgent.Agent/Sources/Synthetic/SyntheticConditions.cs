using System.Diagnostics;

namespace OpsAgent.Agent.Sources.Synthetic;

/// <summary>
/// Checks the real-state conditions of synthetic faults (<see cref="SyntheticFault.WhileFilesIn"/>,
/// <see cref="SyntheticFault.WhileProcessRuns"/>), so that an end-to-end test can start a fault by changing the host and
/// see the signal recover because an action changed it back.
/// </summary>
internal static class SyntheticConditions
{
    /// <summary>True when every condition the fault has holds now. A directory or process list that cannot be read does not hold.</summary>
    public static bool Hold(SyntheticFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return (string.IsNullOrEmpty(fault.WhileFilesIn) || HasFiles(fault.WhileFilesIn))
            && (string.IsNullOrEmpty(fault.WhileProcessRuns) || IsRunning(fault.WhileProcessRuns));
    }

    private static bool HasFiles(string directory)
    {
        try
        {
            return Directory.Exists(directory) && Directory.EnumerateFiles(directory).Any();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsRunning(string name)
    {
        Process[] processes = Process.GetProcessesByName(name);
        try
        {
            return processes.Any(p => !HasExited(p));
        }
        finally
        {
            foreach (Process process in processes)
            {
                process.Dispose();
            }
        }
    }

    /// <summary>A zombie (killed, not yet reaped by its parent) is listed but no longer runs.</summary>
    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return true;
        }
    }
}
