using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace OpsAgent.Agent.Actions.Cleanup;

/// <summary>
/// A directory held open by a file descriptor. Subdirectories are opened with openat(O_NOFOLLOW | O_DIRECTORY), entries
/// are looked at through /proc/self/fd/N (which resolves to the open directory itself, not to whatever its path names
/// now), and files are removed with unlinkat. Someone who can write in the cleaned tree can swap a directory for a
/// symbolic link at any moment; none of these calls follows it, so the agent (root) never deletes outside the tree.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed partial class LinuxCleanupDirectory : ICleanupDirectory
{
    private const int OpenReadOnly = 0;
    private const int OpenCloseOnExec = 0x80000;
    private const int Enoent = 2;
    private const int Eacces = 13;
    private const int Enotdir = 20;
    private const int Eloop = 40;

    private readonly SafeFileHandle _handle;
    private readonly string _fdPath;

    private LinuxCleanupDirectory(SafeFileHandle handle, string path)
    {
        _handle = handle;
        Path = path;
        _fdPath = "/proc/self/fd/" + handle.DangerousGetHandle().ToInt32().ToString(CultureInfo.InvariantCulture);
        MountId = ReadMountId(handle);
    }

    public string Path { get; }

    public long MountId { get; }

    /// <summary>Opens the policy's directory. Its last component may not be a link either.</summary>
    public static LinuxCleanupDirectory OpenRoot(string path)
    {
        int fd = Open(path, DirectoryFlags);
        return fd >= 0 ? new LinuxCleanupDirectory(new SafeFileHandle(fd, ownsHandle: true), path) : throw Problem(path, Marshal.GetLastPInvokeError());
    }

    public ICleanupDirectory OpenChild(string name)
    {
        string path = System.IO.Path.Join(Path, name);
        int fd = OpenAt(_handle, name, DirectoryFlags);
        return fd >= 0 ? new LinuxCleanupDirectory(new SafeFileHandle(fd, ownsHandle: true), path) : throw Problem(path, Marshal.GetLastPInvokeError());
    }

    public IEnumerable<FileSystemInfo> Entries() => new DirectoryInfo(_fdPath).EnumerateFileSystemInfos("*", DirectoryListing.OneLevel);

    public FileSystemInfo? Inspect(string name)
    {
        var info = new FileInfo(System.IO.Path.Join(_fdPath, name));
        return (int)info.Attributes == -1 ? null : info;
    }

    public void DeleteFile(string name)
    {
        if (UnlinkAt(_handle, name, 0) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC; O_DIRECTORY and O_NOFOLLOW differ between architectures.</summary>
    private static int DirectoryFlags => OpenReadOnly | OpenCloseOnExec | RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.Arm or Architecture.Arm64 or Architecture.Ppc64le => 0x4000 | 0x8000,
        _ => 0x10000 | 0x20000,
    };

    private static CleanupPathException Problem(string path, int errno) => errno switch
    {
        Eloop => new CleanupPathException($"{path} is a symbolic link; cleanup never follows links. Name the real directory.", denied: true),
        Enotdir => new CleanupPathException($"{path} is not a directory (or is a symbolic link); cleanup never follows links.", denied: true),
        Enoent => new CleanupPathException($"{path} does not exist.", denied: false),
        Eacces => new CleanupPathException($"{path} cannot be opened: permission denied.", denied: false),
        _ => new CleanupPathException($"{path} cannot be opened: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", denied: false),
    };

    /// <summary>The "mnt_id:" line of /proc/self/fdinfo/N: which mount the open directory is on.</summary>
    private static long ReadMountId(SafeFileHandle handle)
    {
        string fdinfo = "/proc/self/fdinfo/" + handle.DangerousGetHandle().ToInt32().ToString(CultureInfo.InvariantCulture);
        try
        {
            foreach (string line in File.ReadLines(fdinfo))
            {
                if (line.StartsWith("mnt_id:", StringComparison.Ordinal) &&
                    long.TryParse(line.AsSpan(7).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long id))
                {
                    return id;
                }
            }
        }
        catch (IOException)
        {
            // A kernel without mnt_id in fdinfo (before 3.15): mounts are then not told apart.
        }

        return 0;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenAt(SafeFileHandle directory, string name, int flags);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnlinkAt(SafeFileHandle directory, string name, int flags);
}
