using OpsAgent.Cli.Output;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.AgentCommands;

/// <summary>What the agent reported (stable JSON contract: add fields, never rename).</summary>
internal sealed record CommandResultJson(
    string Status,
    string Reason,
    int ExitCode,
    string Output,
    bool OutputTruncated,
    string? Started,
    long DurationMs,
    bool DryRun,
    string? Received)
{
    public static CommandResultJson From(CommandResult r, long receivedUnixMs) => new(
        CommandNames.Status(r.Status),
        r.Reason,
        r.ExitCode,
        r.Output,
        r.OutputTruncated,
        TimeFormatter.ToRfc3339(r.StartedUnixMs),
        r.DurationMs,
        r.DryRun,
        TimeFormatter.ToRfc3339(receivedUnixMs));
}
