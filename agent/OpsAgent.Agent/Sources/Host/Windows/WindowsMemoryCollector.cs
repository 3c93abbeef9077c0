using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace OpsAgent.Agent.Sources.Host.Windows;

/// <summary>Physical memory (GlobalMemoryStatusEx) and page files (NtQuerySystemInformation).</summary>
/// <remarks>
/// Windows reports physical memory as total and available; available includes the standby list (cached file
/// pages that are given up on demand), so the states are used = total - available and free = available. There is
/// no buffered, cached or slab state and no system.memory.linux.available. Paging is the sum of all page files;
/// a machine without one reports used=0, free=0 and no utilisation, as on Linux. Page faults are not collected.
/// </remarks>
[SupportedOSPlatform("windows")]
internal sealed unsafe class WindowsMemoryCollector : IHostCollector
{
    private const int MaxPageFileBuffer = 1024 * 1024;
    private static readonly MetricLabel[] Used = [new("state", "used")];
    private static readonly MetricLabel[] Free = [new("state", "free")];

    private byte[] _pageFiles = new byte[4096];

    public string Subsystem => "memory";

    public void Collect(MetricBuffer buffer)
    {
        var status = new WindowsNative.MemoryStatusEx { Length = (uint)sizeof(WindowsNative.MemoryStatusEx) };
        if (!WindowsNative.GlobalMemoryStatusEx(ref status))
        {
            throw new InvalidOperationException($"GlobalMemoryStatusEx failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        }

        ulong total = status.TotalPhys;
        ulong free = Math.Min(status.AvailPhys, total);
        EmitState(buffer, total - free, total, Used);
        EmitState(buffer, free, total, Free);
        buffer.Gauge(HostMetricNames.MemoryLimit, HostMetricNames.UnitBytes, total);

        (ulong pagesTotal, ulong pagesUsed) = QueryPageFiles();
        ulong pageSize = (ulong)Environment.SystemPageSize;
        ulong swapTotal = pagesTotal * pageSize;
        ulong swapUsed = Math.Min(pagesUsed * pageSize, swapTotal);
        buffer.Gauge(HostMetricNames.PagingUsage, HostMetricNames.UnitBytes, swapUsed, Used);
        buffer.Gauge(HostMetricNames.PagingUsage, HostMetricNames.UnitBytes, swapTotal - swapUsed, Free);
        if (swapTotal > 0)
        {
            EmitRatio(buffer, HostMetricNames.PagingUtilization, swapUsed, swapTotal, Used);
            EmitRatio(buffer, HostMetricNames.PagingUtilization, swapTotal - swapUsed, swapTotal, Free);
        }
    }

    private static void EmitState(MetricBuffer buffer, ulong bytes, ulong total, MetricLabel[] state)
    {
        buffer.Gauge(HostMetricNames.MemoryUsage, HostMetricNames.UnitBytes, bytes, state);
        EmitRatio(buffer, HostMetricNames.MemoryUtilization, bytes, total, state);
    }

    private static void EmitRatio(MetricBuffer buffer, string name, ulong part, ulong whole, MetricLabel[] state)
    {
        if (Ratio.TryCompute(part, whole, out double share))
        {
            buffer.Gauge(name, HostMetricNames.UnitRatio, share, state);
        }
    }

    private (ulong TotalPages, ulong UsedPages) QueryPageFiles()
    {
        while (true)
        {
            int status;
            uint returned;
            fixed (byte* data = _pageFiles)
            {
                status = WindowsNative.NtQuerySystemInformation(WindowsNative.SystemPageFileInformation, data, (uint)_pageFiles.Length, out returned);
            }

            if (status == WindowsNative.StatusInfoLengthMismatch && _pageFiles.Length < MaxPageFileBuffer)
            {
                _pageFiles = new byte[_pageFiles.Length * 2];
                continue;
            }

            if (status != WindowsNative.StatusSuccess)
            {
                throw new InvalidOperationException($"NtQuerySystemInformation(SystemPageFileInformation) failed with NTSTATUS 0x{status:X8}.");
            }

            // A chain of entries, one per page file, linked by NextEntryOffset; nothing at all without a page file.
            ulong total = 0;
            ulong used = 0;
            int offset = 0;
            int headSize = sizeof(WindowsNative.PageFileInformation);
            while (returned > 0 && offset + headSize <= (int)returned)
            {
                var entry = Unsafe.ReadUnaligned<WindowsNative.PageFileInformation>(ref _pageFiles[offset]);
                total += entry.TotalSize;
                used += entry.TotalInUse;
                if (entry.NextEntryOffset == 0)
                {
                    break;
                }

                offset += (int)entry.NextEntryOffset;
            }

            return (total, used);
        }
    }
}
