namespace OpsAgent.EndToEnd.Tests.Install;

/// <summary>What a command printed and how it ended, with everything in one string for assertion messages.</summary>
internal sealed record CommandResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() =>
        $"$ {Command}\n(exit code {ExitCode})\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
