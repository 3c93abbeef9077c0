using OpsAgent.Agent.Commands;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Actions;

/// <summary>What an action did (or why it did nothing), before the executor adds the command id, times and dry-run flag.</summary>
/// <param name="Reason">One or two sentences for the admin: what happened, to what, and for failures what to check.</param>
/// <param name="RejectionCode">For <see cref="CommandStatus.Rejected"/>: a code from <see cref="RejectionCodes"/>.</param>
internal sealed record ActionOutcome(CommandStatus Status, string Reason, string? RejectionCode = null)
{
    public int ExitCode { get; init; }

    public string Output { get; init; } = "";

    public bool OutputTruncated { get; init; }

    public static ActionOutcome Succeeded(string reason) => new(CommandStatus.Succeeded, reason);

    public static ActionOutcome Failed(string reason) => new(CommandStatus.Failed, reason);

    public static ActionOutcome TimedOut(string reason) => new(CommandStatus.TimedOut, reason);

    /// <summary>The local policy does not allow it: nothing was done.</summary>
    public static ActionOutcome Denied(string reason) => new(CommandStatus.Rejected, reason, RejectionCodes.PolicyDenied);

    /// <summary>The command itself is unusable (a missing or malformed parameter): nothing was done.</summary>
    public static ActionOutcome Invalid(string reason) => new(CommandStatus.Rejected, reason, RejectionCodes.InvalidRequest);

    public static ActionOutcome Unsupported(string reason) => new(CommandStatus.Rejected, reason, RejectionCodes.Unsupported);

    public ActionOutcome WithOutput(string output, bool truncated) => this with { Output = output, OutputTruncated = truncated };
}
