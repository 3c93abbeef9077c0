using OpsAgent.Protocol;

namespace OpsAgent.Collector.Commands;

/// <summary>What the agent reported about a command, as stored (output bounded by <see cref="CommandOptions.MaxOutputBytes"/>).</summary>
/// <param name="Status">Succeeded, failed, rejected or timed out.</param>
/// <param name="Reason">For rejected and failed commands: what and why, in the agent's words.</param>
/// <param name="ExitCode">The process exit code, when the action ran one.</param>
/// <param name="Output">Standard output and error, or the action's report; cut by the agent and the collector.</param>
/// <param name="OutputTruncated">The agent or the collector cut the output.</param>
/// <param name="StartedUnixMs">When the agent began (agent clock).</param>
/// <param name="DurationMs">How long it ran on the agent.</param>
/// <param name="DryRun">The agent only checked and reported.</param>
/// <param name="ReceivedUnixMs">When the collector stored the result.</param>
internal sealed record CommandResultRecord(
    CommandStatus Status,
    string Reason,
    int ExitCode,
    string Output,
    bool OutputTruncated,
    long StartedUnixMs,
    long DurationMs,
    bool DryRun,
    long ReceivedUnixMs);
