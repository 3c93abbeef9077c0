using System.Runtime.InteropServices;

namespace OpsAgent.EndToEnd.Tests.Infrastructure;

internal static partial class NativeSignals
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != 3)
            {
                // 3 = ESRCH: already gone, which is fine for a test tearing down.
                throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {errno}");
            }
        }
    }
}
