using System.IO.Enumeration;

namespace OpsAgent.Agent.Actions.Cleanup;

/// <summary>
/// Walks a directory (and, if asked, its subdirectories) and keeps the oldest files that match, never more than the
/// run may delete, so memory stays bounded however many files there are. Links are never followed, subdirectories on
/// another mounted filesystem are not entered, and the walk stops after <see cref="MaxEntries"/> entries.
/// </summary>
internal sealed class CleanupScan
{
    public const int MaxEntries = 1_000_000;
    public const int MaxDepth = 32;

    private readonly Func<string, bool> _matches;
    private readonly DateTime _modifiedBefore;
    private readonly long _largerThan;
    private readonly int _keep;
    private readonly bool _recursive;

    // Newest on top, so that a newer candidate is dropped first once more than _keep matched.
    private readonly PriorityQueue<CleanupCandidate, long> _oldest = new(Comparer<long>.Create((a, b) => b.CompareTo(a)));

    public CleanupScan(Func<string, bool> matches, DateTime modifiedBefore, long largerThan, int keep, bool recursive)
    {
        _matches = matches;
        _modifiedBefore = modifiedBefore;
        _largerThan = largerThan;
        _keep = keep;
        _recursive = recursive;
    }

    public long Examined { get; private set; }

    public long Matched { get; private set; }

    public int SkippedLinks { get; private set; }

    public List<string> SkippedMounts { get; } = [];

    public List<string> Unreadable { get; } = [];

    public bool HitEntryLimit { get; private set; }

    /// <summary>True when <paramref name="file"/> (fresh from lstat) still qualifies: a file, not a link, old and large enough.</summary>
    public bool Qualifies(FileSystemInfo file) =>
        file is FileInfo { Exists: true } info &&
        (info.Attributes & (FileAttributes.ReparsePoint | FileAttributes.Directory)) == 0 &&
        info.LastWriteTimeUtc < _modifiedBefore &&
        (_largerThan == 0 || info.Length > _largerThan);

    public void Run(ICleanupDirectory directory, CancellationToken cancellationToken) =>
        Walk(directory, directory.MountId, [], cancellationToken);

    /// <summary>The kept candidates, oldest first.</summary>
    public List<CleanupCandidate> Candidates()
    {
        var list = _oldest.UnorderedItems.Select(i => i.Element).ToList();
        list.Sort((a, b) => a.LastWriteUtc.CompareTo(b.LastWriteUtc));
        return list;
    }

    private void Walk(ICleanupDirectory directory, long rootMount, string[] below, CancellationToken cancellationToken)
    {
        var subdirectories = new List<string>();
        try
        {
            foreach (FileSystemInfo entry in directory.Entries())
            {
                if (++Examined > MaxEntries)
                {
                    HitEntryLimit = true;
                    return;
                }

                if ((Examined & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if ((entry.Attributes & FileAttributes.ReparsePoint) != 0)
                {
                    SkippedLinks++;
                }
                else if ((entry.Attributes & FileAttributes.Directory) != 0)
                {
                    subdirectories.Add(entry.Name);
                }
                else if (_matches(entry.Name) && Qualifies(entry))
                {
                    Matched++;
                    var candidate = new CleanupCandidate(below, entry.Name, ((FileInfo)entry).Length, entry.LastWriteTimeUtc);
                    _oldest.Enqueue(candidate, candidate.LastWriteUtc.Ticks);
                    if (_oldest.Count > _keep)
                    {
                        _oldest.Dequeue();
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Unreadable.Add($"{directory.Path}: {ex.Message}");
        }

        if (!_recursive || below.Length >= MaxDepth)
        {
            return;
        }

        foreach (string name in subdirectories)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ICleanupDirectory child;
            try
            {
                child = directory.OpenChild(name);
            }
            catch (CleanupPathException ex)
            {
                // Swapped for a link since it was listed, or removed: either way, not entered.
                Unreadable.Add(ex.Message);
                continue;
            }

            using (child)
            {
                if (rootMount != 0 && child.MountId != 0 && child.MountId != rootMount)
                {
                    SkippedMounts.Add(child.Path);
                    continue;
                }

                Walk(child, rootMount, [.. below, name], cancellationToken);
                if (HitEntryLimit)
                {
                    return;
                }
            }
        }
    }

    /// <summary>A file name matcher: the command's pattern and one of the policy's patterns must both match.</summary>
    public static Func<string, bool> Matcher(string commandPattern, IReadOnlyList<string> policyPatterns)
    {
        bool ignoreCase = OperatingSystem.IsWindows();
        return name => FileSystemName.MatchesSimpleExpression(commandPattern, name, ignoreCase) &&
            policyPatterns.Any(p => FileSystemName.MatchesSimpleExpression(p, name, ignoreCase));
    }
}
