extern alias Cli;

using Cli::OpsAgent.Cli.Invocation;
using Microsoft.Extensions.Time.Testing;

namespace OpsAgent.Cli.Tests.Infrastructure;

/// <summary>
/// Runs opsctl in-process with an argument array, as the process entry point would, but with captured
/// stdout/stderr, a fake clock fixed at <see cref="Now"/> (UTC as the local zone) and a scripted environment.
/// </summary>
internal sealed class CliRunner
{
    public static readonly DateTimeOffset Now = new(2025, 1, 31, 8, 15, 0, TimeSpan.Zero);

    public CliRunner()
    {
        Time.SetLocalTimeZone(TimeZoneInfo.Utc);
    }

    public FakeTimeProvider Time { get; } = new(Now);

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public bool OutIsTerminal { get; init; }

    public static long UnixMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long Ago(TimeSpan ago) => (Now - ago).ToUnixTimeMilliseconds();

    public Task<CliResult> RunAsync(params string[] args) => RunInterruptibleAsync(CancellationToken.None, args);

    /// <summary>Runs opsctl; cancelling <paramref name="interrupt"/> is what Ctrl-C does to the real process.</summary>
    public async Task<CliResult> RunInterruptibleAsync(CancellationToken interrupt, params string[] args)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(interrupt, TestContext.Current.CancellationToken);
        var cancellationToken = linked.Token;
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var runtime = new CliRuntime
        {
            Out = stdout,
            Error = stderr,
            OutIsTerminal = OutIsTerminal,
            Time = Time,
            GetEnvironmentVariable = name => Environment.GetValueOrDefault(name),
        };

        var exitCode = await CliApplication.RunAsync(args, runtime, cancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}
