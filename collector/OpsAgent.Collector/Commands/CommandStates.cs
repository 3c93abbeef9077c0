using OpsAgent.Protocol;

namespace OpsAgent.Collector.Commands;

/// <summary>Names of <see cref="CommandState"/> (API, CLI, /metrics) and what follows from a state.</summary>
internal static class CommandStates
{
    public static IReadOnlyList<CommandState> All { get; } = Enum.GetValues<CommandState>();

    public static string Name(CommandState state) => state switch
    {
        CommandState.AwaitingApproval => "awaiting_approval",
        CommandState.Queued => "queued",
        CommandState.Sent => "sent",
        CommandState.Succeeded => "succeeded",
        CommandState.Failed => "failed",
        CommandState.Rejected => "rejected",
        CommandState.TimedOut => "timed_out",
        CommandState.Expired => "expired",
        CommandState.Denied => "denied",
        CommandState.Cancelled => "cancelled",
        _ => "unknown",
    };

    /// <summary>True when nothing more will happen to the command (except a late result replacing Expired).</summary>
    public static bool IsFinal(CommandState state) => state is not (CommandState.AwaitingApproval or CommandState.Queued or CommandState.Sent);

    /// <summary>The state an agent's result puts a command in.</summary>
    public static CommandState FromResult(CommandStatus status) => status switch
    {
        CommandStatus.Succeeded => CommandState.Succeeded,
        CommandStatus.Rejected => CommandState.Rejected,
        CommandStatus.TimedOut => CommandState.TimedOut,
        _ => CommandState.Failed,
    };
}
