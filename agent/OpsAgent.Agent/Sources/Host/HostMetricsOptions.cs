namespace OpsAgent.Agent.Sources.Host;

/// <summary>
/// Settings of the host metric source (configuration section <see cref="SectionName"/>). Every list that is left
/// unset uses its <c>Default…</c> list; setting a list replaces the defaults, so copy the defaults you still want.
/// Name lists take glob patterns: <c>*</c> matches any run of characters (including <c>/</c>), <c>?</c> one character.
/// The defaults are Linux names; on Windows an unset list excludes nothing (drive roots are "C:", disks
/// "PhysicalDrive0", interfaces by their Windows name), and ProcRoot, SysRoot and Temperatures do not apply.
/// </summary>
internal sealed class HostMetricsOptions
{
    public const string SectionName = "Agent:Metrics:Host";

    /// <summary>
    /// Pseudo and image filesystems that hold no user data. <c>overlay</c> is not here: it is reported when it is
    /// the root filesystem (a container) and skipped elsewhere (the per-container layers of a Docker host).
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultExcludedFilesystemTypes =
    [
        "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts", "devtmpfs",
        "efivarfs", "erofs", "fusectl", "fuse.lxcfs", "fuse.gvfsd-fuse", "fuse.portal", "hugetlbfs", "iso9660",
        "mqueue", "nfsd", "nsfs", "proc", "procfs", "pstore", "ramfs", "rootfs", "rpc_pipefs", "securityfs",
        "selinuxfs", "squashfs", "sysfs", "tracefs",
    ];

    /// <summary>
    /// Kernel and runtime mount points: container runtimes and the kubelet mount one filesystem per container,
    /// secret or volume below these paths, which would flood the store with short-lived series. The file bind
    /// mounts that Docker puts into every container (/etc/hosts, ...) are the host's disk seen through a keyhole.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultExcludedMountPoints =
    [
        "/proc", "/proc/*", "/sys", "/sys/*", "/dev", "/dev/*", "/run/credentials/*", "/run/containerd/*",
        "/run/docker/*", "/run/netns/*", "/var/lib/docker/*", "/var/lib/containers/storage/*", "/var/lib/kubelet/*",
        "/snap/*", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf",
    ];

    /// <summary>Block devices without a disk behind them (loop images, RAM disks, compressed swap, floppies).</summary>
    public static readonly IReadOnlyList<string> DefaultExcludedDiskDevices = ["loop*", "ram*", "zram*", "fd*"];

    /// <summary>Loopback and the per-container virtual ends that Docker, Calico and Cilium create and remove.</summary>
    public static readonly IReadOnlyList<string> DefaultExcludedNetworkInterfaces = ["lo", "veth*", "cali*", "lxc*"];

    /// <summary>Collect host metrics at all. Off only for agents that carry other sources alone (tests, synthetic load).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where procfs is mounted (Linux). Tests point it at a fixture tree.</summary>
    public string ProcRoot { get; set; } = "/proc";

    /// <summary>Where sysfs is mounted (Linux). Tests point it at a fixture tree.</summary>
    public string SysRoot { get; set; } = "/sys";

    /// <summary>Emit <c>system.cpu.time</c> and busy utilisation per logical CPU (8 + 1 series per CPU).</summary>
    public bool PerCpu { get; set; } = true;

    /// <summary>Emit <c>hw.temperature</c> from thermal zones and hwmon sensors when the host has them.</summary>
    public bool Temperatures { get; set; } = true;

    /// <summary>
    /// How long one cycle waits for the free-space query of a filesystem. A mount that does not answer in time
    /// (a hung NFS server) is skipped, and skipped without waiting until its pending query returns.
    /// </summary>
    public TimeSpan FilesystemTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound on reported filesystems; the rest are skipped and reported as an error.</summary>
    public int MaxFilesystems { get; set; } = 100;

    /// <summary>Filesystem types to skip (exact names or globs). Null: <see cref="DefaultExcludedFilesystemTypes"/>.</summary>
    public IList<string>? ExcludedFilesystemTypes { get; set; }

    /// <summary>Mount points to skip (globs). Null: <see cref="DefaultExcludedMountPoints"/>.</summary>
    public IList<string>? ExcludedMountPoints { get; set; }

    /// <summary>Block devices to skip (globs on the kernel name). Null: <see cref="DefaultExcludedDiskDevices"/>.</summary>
    public IList<string>? ExcludedDiskDevices { get; set; }

    /// <summary>Network interfaces to skip (globs). Null: <see cref="DefaultExcludedNetworkInterfaces"/>.</summary>
    public IList<string>? ExcludedNetworkInterfaces { get; set; }
}
