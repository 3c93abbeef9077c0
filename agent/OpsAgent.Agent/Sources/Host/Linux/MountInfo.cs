namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>One line of /proc/self/mountinfo (proc(5)), with the escapes in paths undone.</summary>
/// <param name="MountId">Unique id of the mount.</param>
/// <param name="Major">Major number of the device (st_dev) of the filesystem; 0 for anonymous ones (tmpfs, overlay, NFS).</param>
/// <param name="Root">The directory of the filesystem that is mounted here: "/" for a whole filesystem, a subpath for a bind mount.</param>
/// <param name="MountPoint">Where it is mounted, as seen by the reading process.</param>
/// <param name="ReadOnly">
/// The filesystem itself is read-only (the "ro" super option: mounted so, or remounted so after errors). A read-only
/// bind mount of a writable filesystem, such as systemd's ProtectSystem= makes in the agent's own mount namespace,
/// does not count: it says nothing about the filesystem and would change the series' labels with the unit file.
/// </param>
/// <param name="Source">The filesystem-specific source ("/dev/vda1", "server:/export", "tmpfs"); may be empty.</param>
internal sealed record MountInfo(
    int MountId,
    uint Major,
    uint Minor,
    string Root,
    string MountPoint,
    bool ReadOnly,
    string FsType,
    string Source);
