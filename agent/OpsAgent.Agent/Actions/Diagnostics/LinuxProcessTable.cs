using System.IO.Enumeration;
using OpsAgent.Agent.Sources.Host.Linux;

namespace OpsAgent.Agent.Actions.Diagnostics;

/// <summary>Every process's memory and CPU time from /proc/PID/stat, in one pass and without opening other files.</summary>
internal static class LinuxProcessTable
{
    /// <summary>USER_HZ, the unit of utime and stime: 100 on every Linux architecture the agent runs on.</summary>
    private const double TicksPerSecond = 100;

    public static Dictionary<int, ProcessSample> Read(string procRoot = "/proc")
    {
        var pids = new FileSystemEnumerable<string>(procRoot, static (ref FileSystemEntry entry) => entry.FileName.ToString(), DirectoryListing.OneLevel)
        {
            ShouldIncludePredicate = static (ref FileSystemEntry entry) =>
                entry.IsDirectory && !entry.FileName.IsEmpty && !entry.FileName.ContainsAnyExceptInRange('0', '9'),
        };

        var reader = new ProcFileReader();
        long pageSize = Environment.SystemPageSize;
        var samples = new Dictionary<int, ProcessSample>();
        foreach (string pid in pids)
        {
            if (!reader.TryReadAll(Path.Combine(procRoot, pid, "stat"), out ReadOnlySpan<char> text) ||
                TryParseStat(text, pageSize) is not { } sample)
            {
                // Exited between the listing and the read.
                continue;
            }

            samples[sample.Pid] = sample;
        }

        return samples;
    }

    /// <summary>"1234 (name with ) in it) S 1 ... utime stime ... rss ...": the name ends at the last ')'.</summary>
    public static ProcessSample? TryParseStat(ReadOnlySpan<char> text, long pageSize)
    {
        int open = text.IndexOf('(');
        int close = text.LastIndexOf(')');
        if (open < 1 || close < open || !FieldReader.TryParseInt64(text[..open].Trim(), out long pid))
        {
            return null;
        }

        string name = text[(open + 1)..close].ToString();
        var fields = new FieldReader(text[(close + 1)..]);

        // Fields after the name, counting from 3 (state): utime is 14, stime 15, rss 24 (proc(5)).
        ulong utime = 0;
        ulong stime = 0;
        ulong rss = 0;
        for (int field = 3; field <= 24; field++)
        {
            bool ok = field switch
            {
                14 => fields.TryNextUInt64(out utime),
                15 => fields.TryNextUInt64(out stime),
                24 => fields.TryNextUInt64(out rss),
                _ => fields.TryNext(out _),
            };
            if (!ok)
            {
                return null;
            }
        }

        return new ProcessSample((int)pid, name, (long)rss * pageSize, (utime + stime) / TicksPerSecond);
    }
}
