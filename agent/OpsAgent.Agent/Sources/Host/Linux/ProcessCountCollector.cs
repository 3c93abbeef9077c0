using System.IO.Enumeration;

namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>The number of processes (system.process.count): the numeric directories of /proc.</summary>
/// <remarks>
/// /proc lists one directory per process (thread group), not per thread, so counting them is exact. The cheaper
/// fourth field of /proc/loadavg counts threads, and /proc/stat's "processes" counts forks since boot.
/// The entries are examined as spans: no string is made per process.
/// </remarks>
internal sealed class ProcessCountCollector : IHostCollector
{
    private static readonly EnumerationOptions Options = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    private readonly string _procRoot;

    public ProcessCountCollector(string procRoot)
    {
        _procRoot = procRoot;
    }

    public string Subsystem => "processes";

    public void Collect(MetricBuffer buffer)
    {
        var entries = new FileSystemEnumerable<byte>(_procRoot, static (ref FileSystemEntry _) => 0, Options)
        {
            ShouldIncludePredicate = static (ref FileSystemEntry entry) => entry.IsDirectory && IsProcessId(entry.FileName),
        };

        int count = 0;
        foreach (byte _ in entries)
        {
            count++;
        }

        buffer.Gauge(HostMetricNames.ProcessCount, HostMetricNames.UnitProcess, count);
    }

    private static bool IsProcessId(ReadOnlySpan<char> name) => !name.IsEmpty && !name.ContainsAnyExceptInRange('0', '9');
}
