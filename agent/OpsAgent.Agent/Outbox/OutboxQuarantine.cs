using System.Globalization;

namespace OpsAgent.Agent.Outbox;

/// <summary>
/// Where damaged outbox files go (<c>StateDirectory/outbox/quarantine</c>): moved aside, not deleted, so that an admin
/// or a bug report can look at them, and out of the way, so that the agent never trips over them again. Only the
/// newest <see cref="MaxEntries"/> are kept.
/// </summary>
internal sealed class OutboxQuarantine(string directory, TimeProvider time)
{
    public const int MaxEntries = 16;

    public string Directory { get; } = directory;

    /// <summary>Moves <paramref name="path"/> (a file, or whatever else sits under a segment's name) into quarantine.</summary>
    /// <exception cref="IOException">It could not be moved.</exception>
    /// <exception cref="UnauthorizedAccessException">It could not be moved.</exception>
    public string Move(string path)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        string target = Path.Combine(Directory, $"{Path.GetFileName(path)}.{stamp}");
        for (int n = 1; File.Exists(target) || System.IO.Directory.Exists(target); n++)
        {
            target = Path.Combine(Directory, $"{Path.GetFileName(path)}.{stamp}-{n}");
        }

        if (System.IO.Directory.Exists(path))
        {
            System.IO.Directory.Move(path, target);
        }
        else
        {
            File.Move(path, target);
        }

        Prune();
        return target;
    }

    private void Prune()
    {
        // Newest first by the time stamp this class appended to each name (a moved file keeps its old mtime).
        var entries = new DirectoryInfo(Directory).GetFileSystemInfos()
            .OrderByDescending(e => e.Name[(e.Name.LastIndexOf('.') + 1)..], StringComparer.Ordinal)
            .Skip(MaxEntries)
            .ToList();
        foreach (FileSystemInfo old in entries)
        {
            try
            {
                if (old is DirectoryInfo dir)
                {
                    dir.Delete(recursive: true);
                }
                else
                {
                    old.Delete();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Pruning is housekeeping: a file that cannot go now goes on a later quarantine.
            }
        }
    }
}
