using System.Runtime.InteropServices;

namespace OpsAgent.Agent.Footprint;

/// <summary>
/// Once start-up has settled, hands back to the kernel what only start-up needed: the heap regions of its garbage (one
/// aggressive collection) and the pages of the executable it read (see <see cref="ExecutableMappings"/>), so that the
/// agent's resident memory is what its collection cycle uses (tests/perf/RESULTS.md: about 6 MB of 24). Linux only;
/// anything that goes wrong costs memory, never function, and is logged at Debug.
/// </summary>
internal sealed partial class StartupPageRelease(TimeProvider time, ILogger<StartupPageRelease> logger) : BackgroundService
{
    /// <summary>
    /// Long enough for start-up (options, connection, enrolment, the first collections and batches) to be over, short
    /// enough that the agent is at its steady size within its first minute.
    /// </summary>
    internal static readonly TimeSpan Delay = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessPath is not { } executable)
        {
            return;
        }

        try
        {
            await Task.Delay(Delay, time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        // Start-up garbage (configuration, dependency injection, options) goes with one full, compacting
        // collection that also returns the freed regions, instead of staying committed until the GC decides.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Release(executable);
    }

    /// <summary>Pages out the executable's read-only mappings now; returns the bytes advised.</summary>
    internal ulong Release(string executable)
    {
        try
        {
            (ulong bytes, int errno) = ExecutableMappings.PageOutReadOnly(executable);
            if (errno != 0)
            {
                LogRefused(logger, executable, Marshal.GetPInvokeErrorMessage(errno), errno);
            }
            else
            {
                LogReleased(logger, bytes / 1024, executable);
            }

            return bytes;
        }
        catch (IOException ex)
        {
            LogUnreadableMaps(logger, ex.Message);
            return 0;
        }
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Debug, Message = "Released the start-up pages of {Executable}: {KiB} KiB of read-only mappings advised out; pages still in use come back from the page cache.")]
    private static partial void LogReleased(ILogger logger, ulong kiB, string executable);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Debug, Message = "The kernel refused to page out the start-up pages of {Executable}: {Reason} (errno {Errno}). Linux 5.4 or later is needed; the agent works the same, with a larger resident size.")]
    private static partial void LogRefused(ILogger logger, string executable, string reason, int errno);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Debug, Message = "Cannot read /proc/self/maps to release the start-up pages: {Reason}. The agent works the same, with a larger resident size.")]
    private static partial void LogUnreadableMaps(ILogger logger, string reason);
}
