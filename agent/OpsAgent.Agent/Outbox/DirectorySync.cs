using System.Runtime.InteropServices;

namespace OpsAgent.Agent.Outbox;

/// <summary>
/// fsync(2) of a directory, which makes the creation, renaming and deletion of the files in it durable. .NET has no API
/// for it; on Windows, NTFS journals directory changes itself and this does nothing.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;

    /// <exception cref="IOException">The directory could not be opened or synced.</exception>
    public static void Sync(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return;
        }

        int fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"open({directory}) failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new IOException($"fsync({directory}) failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
