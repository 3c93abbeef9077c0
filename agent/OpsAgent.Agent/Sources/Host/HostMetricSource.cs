using System.Runtime.InteropServices;
using OpsAgent.Agent.Sources.Host.Linux;
using OpsAgent.Agent.Sources.Host.Windows;

namespace OpsAgent.Agent.Sources.Host;

/// <summary>Creates the host metric source for the operating system the agent runs on.</summary>
internal static class HostMetricSource
{
    /// <summary>
    /// Returns the Linux source (procfs, sysfs), the Windows source (Win32 APIs), or, elsewhere, a source that
    /// reports once that it has nothing to collect. The source keeps state between cycles (counter readings for
    /// utilisation), so create one and call <see cref="IMetricSource.Collect"/> on it every interval, from one thread
    /// at a time.
    /// </summary>
    public static IMetricSource Create(HostMetricsOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);

        if (OperatingSystem.IsLinux())
        {
            return new LinuxHostMetricSource(options, timeProvider);
        }

        if (OperatingSystem.IsWindows())
        {
            return new WindowsHostMetricSource(options, timeProvider);
        }

        return new UnsupportedHostMetricSource(RuntimeInformation.OSDescription);
    }
}
