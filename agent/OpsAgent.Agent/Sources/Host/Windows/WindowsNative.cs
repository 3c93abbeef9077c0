using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace OpsAgent.Agent.Sources.Host.Windows;

/// <summary>The Win32 and native API calls of the Windows host source, with the structs they fill.</summary>
[SupportedOSPlatform("windows")]
internal static unsafe partial class WindowsNative
{
    public const int SystemProcessorPerformanceInformation = 8;
    public const int SystemPageFileInformation = 18;
    public const int StatusSuccess = 0;
    public const int StatusInfoLengthMismatch = unchecked((int)0xC0000004);

    /// <summary>CTL_CODE(IOCTL_DISK_BASE, 0x0008, METHOD_BUFFERED, FILE_ANY_ACCESS): needs no access rights.</summary>
    public const uint IoctlDiskPerformance = 0x00070020;

    public const uint FileShareReadWrite = 0x1 | 0x2;
    public const uint OpenExisting = 3;
    public const uint FileReadOnlyVolume = 0x00080000;

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool GlobalMemoryStatusEx(ref MemoryStatusEx buffer);

    [LibraryImport("kernel32.dll", EntryPoint = "K32GetPerformanceInfo", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool GetPerformanceInfo(out PerformanceInformation information, uint size);

    /// <summary>Returns an NTSTATUS; the classes used here are documented in winternl.h and stable since NT 4.</summary>
    [LibraryImport("ntdll.dll")]
    public static partial int NtQuerySystemInformation(int informationClass, void* buffer, uint length, out uint returnLength);

    [LibraryImport("kernel32.dll", EntryPoint = "GetDiskFreeSpaceExW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool GetDiskFreeSpaceEx(string directoryName, out ulong freeBytesAvailableToCaller, out ulong totalNumberOfBytes, out ulong totalNumberOfFreeBytes);

    [LibraryImport("kernel32.dll", EntryPoint = "GetVolumeInformationW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool GetVolumeInformation(
        string rootPathName,
        char* volumeNameBuffer,
        uint volumeNameSize,
        out uint volumeSerialNumber,
        out uint maximumComponentLength,
        out uint fileSystemFlags,
        char* fileSystemNameBuffer,
        uint fileSystemNameSize);

    [LibraryImport("kernel32.dll", EntryPoint = "CreateFileW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    public static partial SafeFileHandle CreateFile(
        string fileName,
        uint desiredAccess,
        uint shareMode,
        nint securityAttributes,
        uint creationDisposition,
        uint flagsAndAttributes,
        nint templateFile);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool DeviceIoControl(
        SafeFileHandle device,
        uint ioControlCode,
        void* inBuffer,
        uint inBufferSize,
        void* outBuffer,
        uint outBufferSize,
        out uint bytesReturned,
        nint overlapped);

    /// <summary>MEMORYSTATUSEX; <see cref="Length"/> must be set to the struct's size before the call.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MemoryStatusEx
    {
        public uint Length;
        public uint MemoryLoad;
        public ulong TotalPhys;
        public ulong AvailPhys;
        public ulong TotalPageFile;
        public ulong AvailPageFile;
        public ulong TotalVirtual;
        public ulong AvailVirtual;
        public ulong AvailExtendedVirtual;
    }

    /// <summary>PERFORMANCE_INFORMATION: sizes in pages of <see cref="PageSize"/> bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PerformanceInformation
    {
        public uint Size;
        public nuint CommitTotal;
        public nuint CommitLimit;
        public nuint CommitPeak;
        public nuint PhysicalTotal;
        public nuint PhysicalAvailable;
        public nuint SystemCache;
        public nuint KernelTotal;
        public nuint KernelPaged;
        public nuint KernelNonpaged;
        public nuint PageSize;
        public uint HandleCount;
        public uint ProcessCount;
        public uint ThreadCount;
    }

    /// <summary>
    /// SYSTEM_PROCESSOR_PERFORMANCE_INFORMATION, one per logical CPU, times in 100 ns. KernelTime includes IdleTime.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ProcessorPerformanceInformation
    {
        public long IdleTime;
        public long KernelTime;
        public long UserTime;
        public long DpcTime;
        public long InterruptTime;
        public uint InterruptCount;
    }

    /// <summary>The head of SYSTEM_PAGEFILE_INFORMATION (a UNICODE_STRING with the file name follows); sizes in pages.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PageFileInformation
    {
        public uint NextEntryOffset;
        public uint TotalSize;
        public uint TotalInUse;
        public uint PeakUsage;
    }

    /// <summary>DISK_PERFORMANCE: bytes and operation counts since boot; times in 100 ns.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct DiskPerformance
    {
        public long BytesRead;
        public long BytesWritten;
        public long ReadTime;
        public long WriteTime;
        public long IdleTime;
        public uint ReadCount;
        public uint WriteCount;
        public uint QueueDepth;
        public uint SplitCount;
        public long QueryTime;
        public uint StorageDeviceNumber;
        public fixed char StorageManagerName[8];
    }
}
