using System.Diagnostics;
using System.Runtime.InteropServices;

namespace OpsAgent.Cli.Quickstart;

/// <summary>A collector or agent started by `opsctl quickstart`, its output relayed line by line with a prefix.</summary>
internal sealed partial class ChildProcess : IDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public Task<int> Exited => _exited.Task;

    public static ChildProcess Start(string name, string dll, IReadOnlyList<string> args, TextWriter relay, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process);
        string prefix = $"[{name}] ";
        process.OutputDataReceived += (_, e) => Relay(relay, prefix, e.Data);
        process.ErrorDataReceived += (_, e) => Relay(relay, prefix, e.Data);
        process.Exited += (_, _) =>
        {
            process.WaitForExit();
            child._exited.TrySetResult(process.ExitCode);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Asks the child to shut down cleanly (SIGTERM; on Windows there is no such signal, so it is killed).</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_exited.Task.IsCompleted)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            _process.Kill(entireProcessTree: true);
        }
        else
        {
            _ = Kill(_process.Id, SigTerm);
        }

        try
        {
            await _exited.Task.WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            await _exited.Task.ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (!_exited.Task.IsCompleted)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }
        }

        _process.Dispose();
    }

    private static void Relay(TextWriter relay, string prefix, string? line)
    {
        if (line is not null)
        {
            lock (relay)
            {
                relay.WriteLine(prefix + line);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
