using OpsAgent.Cli.Connection;

namespace OpsAgent.Cli.Invocation;

/// <summary>
/// Everything opsctl takes from its process: where output goes, what the terminal can do, the clock, the
/// environment and how channels to the collector are made. Tests build one with writers, a fake clock and a
/// scripted environment; <see cref="FromProcess"/> builds the real one.
/// </summary>
internal sealed class CliRuntime
{
    /// <summary>Table output and JSON documents.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Errors, warnings and notes: never mixed into what a pipeline parses.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>True when <see cref="Out"/> is an interactive terminal: only then may output carry colours.</summary>
    public bool OutIsTerminal { get; init; }

    /// <summary>Columns of the terminal; null when not a terminal (tables are then never wrapped).</summary>
    public int? TerminalWidth { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ICollectorChannelFactory Channels { get; init; } = new GrpcCollectorChannelFactory();

    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Whether Ctrl-C and SIGTERM cancel the running command (the real process) or are left alone (tests).</summary>
    public bool HandleTerminationSignals { get; init; }

    public static CliRuntime FromProcess()
    {
        var outIsTerminal = !Console.IsOutputRedirected;
        return new CliRuntime
        {
            Out = Console.Out,
            Error = Console.Error,
            OutIsTerminal = outIsTerminal,
            TerminalWidth = outIsTerminal ? TryGetWindowWidth() : null,
            HandleTerminationSignals = true,
        };
    }

    private static int? TryGetWindowWidth()
    {
        try
        {
            var width = Console.WindowWidth;
            return width > 0 ? width : null;
        }
        catch (IOException)
        {
            // Some terminals (serial consoles, odd ptys) report no size: render as if redirected.
            return null;
        }
    }
}
