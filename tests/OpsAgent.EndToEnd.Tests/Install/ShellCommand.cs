using System.Diagnostics;

namespace OpsAgent.EndToEnd.Tests.Install;

/// <summary>Runs a real command (bash, systemd-analyze) to completion and captures what it printed.</summary>
internal static class ShellCommand
{
    public static async Task<CommandResult> RunAsync(string program, IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A clean slate: nothing inherited from the developer's shell may change what the command does.
        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("OPSAGENT", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        string command = program + " " + string.Join(' ', info.ArgumentList);
        using Process process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + command);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {timeout}.");
        }

        return new CommandResult(command, process.ExitCode, await stdout.WaitAsync(timeout), await stderr.WaitAsync(timeout));
    }
}
