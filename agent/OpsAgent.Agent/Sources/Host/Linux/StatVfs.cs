using System.Runtime.InteropServices;

namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>statvfs(3) from the C library.</summary>
/// <remarks>
/// The struct below is the layout of glibc and musl on 64-bit Linux (x64, arm64, and the other 64-bit ports),
/// where every field up to f_namemax is 8 bytes. 32-bit builds lay it out differently and are not supported:
/// <see cref="IsSupported"/> is false there and the filesystem metrics report that once instead.
/// </remarks>
internal static partial class StatVfs
{
    public static bool IsSupported => Environment.Is64BitProcess && OperatingSystem.IsLinux();

    /// <summary>Queries the filesystem mounted at <paramref name="path"/>; may block for as long as the filesystem does.</summary>
    /// <exception cref="IOException">statvfs failed; the message carries the C library's reason.</exception>
    /// <exception cref="PlatformNotSupportedException">Not a 64-bit Linux process.</exception>
    public static FilesystemStats Query(string path)
    {
        if (!IsSupported)
        {
            // Calling with the 64-bit layout from a 32-bit process would corrupt memory.
            throw new PlatformNotSupportedException("Filesystem usage needs a 64-bit agent on Linux; install the x64 or arm64 build.");
        }

        if (NativeStatVfs(path, out NativeBuffer buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"statvfs({path}) failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }

        ulong blockSize = buffer.FragmentSize != 0 ? buffer.FragmentSize : buffer.BlockSize;
        return new FilesystemStats(
            blockSize,
            buffer.Blocks,
            buffer.BlocksFree,
            buffer.BlocksAvailable,
            buffer.Files,
            buffer.FilesFree);
    }

    [LibraryImport("libc", EntryPoint = "statvfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeStatVfs(string path, out NativeBuffer buffer);

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct NativeBuffer
    {
        public ulong BlockSize;
        public ulong FragmentSize;
        public ulong Blocks;
        public ulong BlocksFree;
        public ulong BlocksAvailable;
        public ulong Files;
        public ulong FilesFree;
        public ulong FilesAvailable;
        public ulong FsId;
        public ulong Flags;
        public ulong NameMax;

        // f_type and spare ints in glibc (24 bytes), plus room so that a C library with a longer tail cannot write
        // past the end of this struct.
        private fixed byte _reserved[64];
    }
}
