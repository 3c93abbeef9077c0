using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace OpsAgent.Agent.Actions.Signals;

/// <summary>
/// Sends a signal to a process on Linux only if, at that moment, it is still the process the policy was checked for.
/// </summary>
/// <remarks>
/// kill(pid) alone has a race: the target may exit and its pid be reused by another process between the name check
/// and the kill. A pidfd (pidfd_open, Linux 5.3+) refers to one process for good, so the order "open pidfd, check the
/// name, send through the pidfd" signals either the checked process or nothing. On older kernels, or under a seccomp
/// filter without these calls, it falls back to check-then-kill(2), which narrows the race to microseconds.
/// The syscall numbers are the same on every architecture (they were added after the tables were unified).
/// </remarks>
[SupportedOSPlatform("linux")]
internal static partial class LinuxSignalSender
{
    private const long SysPidfdSendSignal = 424;
    private const long SysPidfdOpen = 434;
    private const int Eperm = 1;
    private const int Esrch = 3;
    private const int Enosys = 38;

    public static SignalDelivery Send(int pid, int signal, string expectedName, out string problem)
    {
        problem = "";
        long pidfd = Syscall(SysPidfdOpen, pid, 0, 0, 0);
        if (pidfd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno switch
            {
                Esrch => SignalDelivery.Gone,
                Enosys or Eperm => KillAfterCheck(pid, signal, expectedName, out problem),
                _ => Fail(errno, out problem),
            };
        }

        try
        {
            if (CheckName(pid, expectedName, out problem) is { } notTheTarget)
            {
                return notTheTarget;
            }

            if (Syscall(SysPidfdSendSignal, pidfd, signal, 0, 0) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                return errno == Esrch ? SignalDelivery.Gone : Fail(errno, out problem);
            }

            return SignalDelivery.Sent;
        }
        finally
        {
            _ = Close((int)pidfd);
        }
    }

    private static SignalDelivery KillAfterCheck(int pid, int signal, string expectedName, out string problem)
    {
        if (CheckName(pid, expectedName, out problem) is { } notTheTarget)
        {
            return notTheTarget;
        }

        if (Kill(pid, signal) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == Esrch ? SignalDelivery.Gone : Fail(errno, out problem);
        }

        return SignalDelivery.Sent;
    }

    /// <summary>Null when <paramref name="pid"/> still runs under <paramref name="expectedName"/>; otherwise why not to signal it.</summary>
    private static SignalDelivery? CheckName(int pid, string expectedName, out string problem)
    {
        problem = "";
        if (ProcessNames.Of(pid) is not { } name)
        {
            return SignalDelivery.Gone;
        }

        if (!string.Equals(name, expectedName, StringComparison.Ordinal))
        {
            problem = $"pid {pid} is now '{name}'";
            return SignalDelivery.Replaced;
        }

        return null;
    }

    private static SignalDelivery Fail(int errno, out string problem)
    {
        problem = $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
        return SignalDelivery.Failed;
    }

    // syscall(2) is variadic in C; every argument here is a register-sized integer, which the Linux ABIs of x64 and
    // arm64 pass the same way for variadic and fixed parameters. Unused trailing arguments are ignored by the kernel.
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long arg1, long arg2, long arg3, long arg4);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
