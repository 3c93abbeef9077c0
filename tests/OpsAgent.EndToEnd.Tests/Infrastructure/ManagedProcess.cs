using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace OpsAgent.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real child process (collector, agent, opsctl) with its output captured, so that a failing test can show what
/// the process said. Disposing kills it if it is still running.
/// </summary>
internal sealed class ManagedProcess : IAsyncDisposable
{
    private const int MaxLines = 2000;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ManagedProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _exited.Task.IsCompleted;

    public Task<int> Exited => _exited.Task;

    public string Output => string.Join('\n', _output);

    /// <summary>Standard output only (what a pipeline would parse), without the log lines on standard error.</summary>
    public string StandardOutput => string.Join('\n', _stdout);

    public static ManagedProcess Start(string name, string dll, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Start from a clean slate: no inherited OpsAgent settings from the developer's shell.
        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("OPSAGENT", StringComparison.Ordinal) || k.StartsWith("OPSCTL", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        if (environment is not null)
        {
            foreach ((string key, string value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var managed = new ManagedProcess(name, process);
        process.OutputDataReceived += (_, e) =>
        {
            managed.Append(e.Data);
            if (e.Data is not null && managed._stdout.Count < MaxLines)
            {
                managed._stdout.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => managed.Append(e.Data);
        process.Exited += (_, _) =>
        {
            // WaitForExit() (no timeout) drains the redirected output before the exit is reported.
            process.WaitForExit();
            managed._exited.TrySetResult(process.ExitCode);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>Asks the process to stop (SIGTERM) and waits for it.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!HasExited)
        {
            NativeSignals.Send(Pid, NativeSignals.SigTerm);
        }

        return await _exited.Task.WaitAsync(timeout).ConfigureAwait(false);
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (!HasExited)
        {
            NativeSignals.Send(Pid, NativeSignals.SigKill);
        }

        await _exited.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_exited.Task.Result} before printing '{text}'.\n{Output}");
            }

            try
            {
                await Task.Delay(50, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Name} did not print '{text}' within {timeout}.\n{Output}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Shown with the test's result when it fails: what each process said is usually the diagnosis.
        TestContext.Current.TestOutputHelper?.WriteLine(ToString());
        if (!HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Exited between the check and the kill.
            }
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > MaxLines && _output.TryDequeue(out _))
        {
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("--- ").Append(Name).Append(" (pid ").Append(Pid).Append(") ---\n").Append(Output);
        return text.ToString();
    }
}
