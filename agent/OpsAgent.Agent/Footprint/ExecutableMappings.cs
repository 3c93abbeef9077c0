using System.Globalization;
using System.Runtime.InteropServices;

namespace OpsAgent.Agent.Footprint;

/// <summary>The read-only mappings of the agent's own executable, and handing their resident pages back to the kernel.</summary>
/// <remarks>
/// A Native AOT agent is one 12 MB executable whose code, read-only data and unwind tables are mapped from the file.
/// Start-up (host, configuration binding, validation, dependency injection, the dehydrated type data it expands)
/// reads most of it once, and with the kernel's fault-around every touched page brings its neighbours, so about
/// 10 MB of the file stays resident although a collection cycle touches much less (tests/perf/RESULTS.md).
/// MADV_PAGEOUT on those mappings unmaps the pages; the ones still in use are faulted back in from the page cache
/// at the next touch. Only non-writable mappings are advised: for a private mapping MADV_PAGEOUT would page out
/// copied (relocated) pages to swap rather than drop them, and there is no data in them to lose either way.
/// </remarks>
internal static partial class ExecutableMappings
{
    /// <summary>MADV_PAGEOUT from linux/mman.h (Linux 5.4 and later; older kernels answer EINVAL).</summary>
    private const int MadvPageOut = 21;

    /// <summary>The address ranges in <paramref name="maps"/> (the text of /proc/self/maps) of non-writable mappings of <paramref name="path"/>.</summary>
    public static List<(ulong Start, ulong End)> ReadOnlyRanges(string maps, string path)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var ranges = new List<(ulong Start, ulong End)>();
        foreach (string line in maps.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // start-end perms offset dev inode [path]; the path is the rest of the line and may contain spaces.
            string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6 || fields[1].Length < 2 || fields[1][1] == 'w' || fields[5].Trim() != path)
            {
                continue;
            }

            int dash = fields[0].IndexOf('-', StringComparison.Ordinal);
            if (dash > 0
                && ulong.TryParse(fields[0].AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong start)
                && ulong.TryParse(fields[0].AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong end)
                && end > start)
            {
                ranges.Add((start, end));
            }
        }

        return ranges;
    }

    /// <summary>Advises the kernel to page out the read-only mappings of this process's executable.</summary>
    /// <returns>The bytes advised; the errno of the first range the kernel refused (0 when none was).</returns>
    /// <exception cref="IOException">/proc/self/maps cannot be read.</exception>
    public static (ulong Bytes, int Errno) PageOutReadOnly(string executable)
    {
        ulong bytes = 0;
        foreach ((ulong start, ulong end) in ReadOnlyRanges(File.ReadAllText("/proc/self/maps"), executable))
        {
            if (Madvise((nint)start, (nuint)(end - start), MadvPageOut) != 0)
            {
                return (bytes, Marshal.GetLastPInvokeError());
            }

            bytes += end - start;
        }

        return (bytes, 0);
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}
