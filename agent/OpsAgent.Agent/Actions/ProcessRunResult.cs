namespace OpsAgent.Agent.Actions;

/// <summary>How a child process ended.</summary>
/// <param name="StartError">Why the program could not be started at all (null when it ran).</param>
/// <param name="TimedOut">It ran past its timeout and was killed, with the processes it started.</param>
/// <param name="Cancelled">The agent is stopping; the child was killed.</param>
/// <param name="OutputComplete">
/// False when a process the child left running (in the background) kept stdout or stderr open after the child
/// exited: the output after that point is not captured.
/// </param>
internal sealed record ProcessRunResult(
    string? StartError,
    int ExitCode,
    bool TimedOut,
    bool Cancelled,
    string Output,
    bool OutputTruncated,
    bool OutputComplete)
{
    public bool Started => StartError is null;
}
