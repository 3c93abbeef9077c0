using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace OpsAgent.Agent.Sources.Host.Windows;

/// <summary>Uptime (GetTickCount64) and the number of processes (GetPerformanceInfo).</summary>
/// <remarks>Windows has no load average and no running/blocked process counts; those series are not sent.</remarks>
[SupportedOSPlatform("windows")]
internal sealed unsafe class WindowsSystemCollector : IHostCollector
{
    public string Subsystem => "system";

    public void Collect(MetricBuffer buffer)
    {
        buffer.Gauge(HostMetricNames.Uptime, HostMetricNames.UnitSeconds, Environment.TickCount64 / 1000.0);

        if (!WindowsNative.GetPerformanceInfo(out WindowsNative.PerformanceInformation info, (uint)sizeof(WindowsNative.PerformanceInformation)))
        {
            throw new InvalidOperationException($"GetPerformanceInfo failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        }

        buffer.Gauge(HostMetricNames.ProcessCount, HostMetricNames.UnitProcess, info.ProcessCount);
    }
}
