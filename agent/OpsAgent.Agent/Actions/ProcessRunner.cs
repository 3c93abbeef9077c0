using System.Buffers;
using System.ComponentModel;
using System.Diagnostics;

namespace OpsAgent.Agent.Actions;

/// <summary>
/// Runs a program with an argv (ProcessStartInfo.ArgumentList: no shell, so no quoting, globbing or interpolation of
/// the arguments), stdin closed, stdout and stderr captured together up to a limit, and a timeout after which the
/// program and every process it started are killed.
/// </summary>
internal sealed partial class ProcessRunner(TimeProvider timeProvider, ILogger<ProcessRunner> logger)
{
    /// <summary>How long to wait, after the child exited, for its output pipes to close.</summary>
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(2);

    public async Task<ProcessRunResult> RunAsync(ProcessLaunch launch, TimeSpan timeout, int maxOutputBytes, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = launch.FileName,
            WorkingDirectory = launch.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (string argument in launch.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (!OperatingSystem.IsWindows())
        {
            startInfo.Environment.Clear();
        }

        foreach ((string name, string value) in launch.Environment)
        {
            startInfo.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException("the OS started no process");
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            return new ProcessRunResult($"could not start {launch.FileName}: {ex.Message}", -1, false, false, "", false, true);
        }

        using (process)
        {
            // The child reads end-of-file instead of waiting for input that never comes.
            process.StandardInput.Close();
            var output = new OutputCapture(maxOutputBytes);
            using var readCancellation = new CancellationTokenSource();
            Task pumps = Task.WhenAll(
                PumpAsync(process.StandardOutput.BaseStream, output, readCancellation.Token),
                PumpAsync(process.StandardError.BaseStream, output, readCancellation.Token));

            bool timedOut = false;
            bool cancelled = false;
            using (var deadline = new CancellationTokenSource(timeout, timeProvider))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token))
            {
                try
                {
                    await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    cancelled = cancellationToken.IsCancellationRequested;
                    timedOut = !cancelled;
                    KillTree(process, launch.FileName);
                }
            }

            if (timedOut || cancelled)
            {
                // Killed with SIGKILL (or TerminateProcess): it is gone within moments; do not wait for ever if the OS says otherwise.
                await WaitQuietlyAsync(process.WaitForExitAsync(CancellationToken.None), DrainGrace).ConfigureAwait(false);
            }

            bool complete = await WaitQuietlyAsync(pumps, DrainGrace).ConfigureAwait(false);
            if (!complete)
            {
                await readCancellation.CancelAsync().ConfigureAwait(false);
                await WaitQuietlyAsync(pumps, DrainGrace).ConfigureAwait(false);
            }

            int exitCode = process.HasExited ? process.ExitCode : -1;
            return new ProcessRunResult(null, exitCode, timedOut, cancelled, output.ToText(), output.Truncated, complete);
        }
    }

    private async Task<bool> WaitQuietlyAsync(Task task, TimeSpan limit)
    {
        try
        {
            await task.WaitAsync(limit, timeProvider).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static async Task PumpAsync(Stream stream, OutputCapture output, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                output.Append(buffer.AsSpan(0, read));
            }
        }
        catch (OperationCanceledException)
        {
            // A background process kept the pipe open after the child exited; the caller reports the output as incomplete.
        }
        catch (IOException)
        {
            // The pipe broke (the process was killed mid-write): what was read so far is the output.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void KillTree(Process process, string program)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill.
        }
        catch (Win32Exception ex)
        {
            LogKillFailed(logger, program, process.Id, ex.Message);
        }
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Error,
        Message = "Could not kill {Program} (pid {Pid}) after its timeout: {Problem}. It may still be running; check with ps.")]
    private static partial void LogKillFailed(ILogger logger, string program, int pid, string problem);
}
