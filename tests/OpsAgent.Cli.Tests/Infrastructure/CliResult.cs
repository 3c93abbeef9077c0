namespace OpsAgent.Cli.Tests.Infrastructure;

/// <summary>What one opsctl run produced.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout lines without trailing padding (tables pad their last column).</summary>
    public string[] Lines => Stdout.TrimEnd('\n').Split('\n').Select(line => line.TrimEnd()).ToArray();

    /// <summary>Stdout with each line's trailing padding removed, for whole-table comparisons.</summary>
    public string Text => string.Join('\n', Lines);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}--- stderr\n{Stderr}";
}
