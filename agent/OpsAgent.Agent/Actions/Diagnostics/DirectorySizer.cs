using System.IO.Enumeration;
using OpsAgent.Agent.Sources.Host.Linux;

namespace OpsAgent.Agent.Actions.Diagnostics;

/// <summary>
/// How many bytes are below each entry of a directory (du --apparent-size, one level), without following symbolic
/// links, without entering other mounted filesystems, and stopping after a number of entries.
/// </summary>
internal static class DirectorySizer
{
    public const long MaxEntries = 2_000_000;

    private static readonly EnumerationOptions Tree = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        ReturnSpecialDirectories = false,
    };

    public static DirectorySizes Measure(string directory, CancellationToken cancellationToken)
    {
        HashSet<string> mounts = MountPoints();
        var entries = new List<DirectoryEntrySize>();
        long examined = 0;
        bool hitLimit = false;
        int unreadable = 0;
        foreach (FileSystemInfo child in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", DirectoryListing.OneLevel))
        {
            cancellationToken.ThrowIfCancellationRequested();
            examined++;
            if ((child.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                entries.Add(new DirectoryEntrySize(child.Name, 0, false, "symbolic link, not followed"));
            }
            else if ((child.Attributes & FileAttributes.Directory) == 0)
            {
                entries.Add(new DirectoryEntrySize(child.Name, ((FileInfo)child).Length, false, null));
            }
            else if (mounts.Contains(child.FullName))
            {
                entries.Add(new DirectoryEntrySize(child.Name, 0, true, "another filesystem, not measured"));
            }
            else if (hitLimit)
            {
                entries.Add(new DirectoryEntrySize(child.Name, 0, true, "not measured: entry limit reached"));
            }
            else
            {
                long bytes = 0;
                try
                {
                    var files = new FileSystemEnumerable<long>(child.FullName, static (ref FileSystemEntry entry) => entry.Length, Tree)
                    {
                        ShouldIncludePredicate = (ref FileSystemEntry entry) =>
                        {
                            if ((++examined & 4095) == 0)
                            {
                                cancellationToken.ThrowIfCancellationRequested();
                            }

                            hitLimit |= examined > MaxEntries;
                            return !entry.IsDirectory && !hitLimit;
                        },
                        ShouldRecursePredicate = (ref FileSystemEntry entry) => !hitLimit && !mounts.Contains(entry.ToFullPath()),
                    };
                    foreach (long length in files)
                    {
                        bytes += length;
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    unreadable++;
                }

                entries.Add(new DirectoryEntrySize(child.Name, bytes, true, null));
            }
        }

        entries.Sort((a, b) => b.Bytes.CompareTo(a.Bytes));
        return new DirectorySizes(entries, examined, hitLimit, unreadable);
    }

    /// <summary>Mount points as this process sees them (Linux); elsewhere none, and junctions are skipped as links.</summary>
    private static HashSet<string> MountPoints()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (!OperatingSystem.IsLinux())
        {
            return set;
        }

        if (new ProcFileReader().TryReadAll("/proc/self/mountinfo", out ReadOnlySpan<char> text))
        {
            foreach (MountInfo mount in MountInfoParser.Parse(text, out _))
            {
                set.Add(mount.MountPoint);
            }
        }

        return set;
    }
}
