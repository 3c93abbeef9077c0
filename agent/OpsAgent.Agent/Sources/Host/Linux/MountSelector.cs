namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>Picks, from all mounts, the filesystems worth reporting: real ones, each once.</summary>
/// <remarks>
/// <list type="number">
/// <item>Where several filesystems are mounted on the same path, only the last one (on top, the one a path lookup
/// and statvfs see) counts.</item>
/// <item>Excluded types and mount points are dropped. <c>overlay</c> counts only as the root filesystem: that is a
/// container's own root, while on a Docker host every running container adds an overlay mount elsewhere.</item>
/// <item>Mounts of the same device (bind mounts, btrfs subvolumes) report the same numbers, so each device is
/// reported once: preferably where its root directory is mounted, then at the shortest path.</item>
/// </list>
/// </remarks>
internal sealed class MountSelector
{
    private readonly NamePatterns _excludedTypes;
    private readonly NamePatterns _excludedMountPoints;
    private readonly int _maxFilesystems;

    public MountSelector(NamePatterns excludedTypes, NamePatterns excludedMountPoints, int maxFilesystems)
    {
        _excludedTypes = excludedTypes;
        _excludedMountPoints = excludedMountPoints;
        _maxFilesystems = maxFilesystems;
    }

    /// <summary>The filesystems to report, ordered by mount point.</summary>
    /// <param name="overLimit">How many were left out because there were more than the configured maximum.</param>
    public List<MountInfo> Select(IReadOnlyList<MountInfo> mounts, out int overLimit)
    {
        ArgumentNullException.ThrowIfNull(mounts);

        var visible = new Dictionary<string, MountInfo>(StringComparer.Ordinal);
        foreach (MountInfo mount in mounts)
        {
            visible[mount.MountPoint] = mount;
        }

        var byDevice = new Dictionary<(uint Major, uint Minor), MountInfo>();
        foreach (MountInfo mount in visible.Values)
        {
            if (!IsReported(mount))
            {
                continue;
            }

            var device = (mount.Major, mount.Minor);
            if (!byDevice.TryGetValue(device, out MountInfo? current) || IsBetterRepresentative(mount, current))
            {
                byDevice[device] = mount;
            }
        }

        var selected = byDevice.Values.ToList();
        selected.Sort(static (a, b) => string.CompareOrdinal(a.MountPoint, b.MountPoint));
        overLimit = Math.Max(0, selected.Count - _maxFilesystems);
        if (overLimit > 0)
        {
            selected.RemoveRange(_maxFilesystems, overLimit);
        }

        return selected;
    }

    private bool IsReported(MountInfo mount)
    {
        if (_excludedTypes.Matches(mount.FsType) || _excludedMountPoints.Matches(mount.MountPoint))
        {
            return false;
        }

        return mount.FsType != "overlay" || mount.MountPoint == "/";
    }

    private static bool IsBetterRepresentative(MountInfo candidate, MountInfo current)
    {
        bool candidateIsRoot = candidate.Root == "/";
        bool currentIsRoot = current.Root == "/";
        if (candidateIsRoot != currentIsRoot)
        {
            return candidateIsRoot;
        }

        if (candidate.MountPoint.Length != current.MountPoint.Length)
        {
            return candidate.MountPoint.Length < current.MountPoint.Length;
        }

        return string.CompareOrdinal(candidate.MountPoint, current.MountPoint) < 0;
    }
}
