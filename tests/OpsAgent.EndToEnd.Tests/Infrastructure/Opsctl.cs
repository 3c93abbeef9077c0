namespace OpsAgent.EndToEnd.Tests.Infrastructure;

/// <summary>Runs the real opsctl and returns what an admin or a CI pipeline would see.</summary>
internal static class Opsctl
{
    public static async Task<OpsctlResult> RunAsync(IDictionary<string, string>? environment, params string[] args)
    {
        // The developer's own ~/.config/opsagent/opsctl.json must not leak into a test: point the default location at nothing.
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        env.TryAdd("XDG_CONFIG_HOME", Path.Combine(Path.GetTempPath(), "opsagent-e2e-no-config"));
        // A machine shared by parallel builds can be slow: opsctl's 5 s default is for people, not for a loaded CI box.
        string[] withTimeout = args.Contains("--timeout") ? args : [.. args, "--timeout", "60s"];
        await using ManagedProcess process = ManagedProcess.Start("opsctl " + string.Join(' ', args), Binaries.Opsctl, withTimeout, env);
        int exitCode = await process.Exited.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken).ConfigureAwait(false);
        return new OpsctlResult(exitCode, process.StandardOutput, process.Output);
    }
}

/// <param name="Output">Standard output and standard error, interleaved as printed.</param>
internal sealed record OpsctlResult(int ExitCode, string StandardOutput, string Output);
