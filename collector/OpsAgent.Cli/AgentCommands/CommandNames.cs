using OpsAgent.Protocol;

namespace OpsAgent.Cli.AgentCommands;

/// <summary>The names opsctl prints and accepts for command states and result statuses.</summary>
internal static class CommandNames
{
    public static IReadOnlyList<string> States { get; } =
        ["awaiting_approval", "queued", "sent", "succeeded", "failed", "rejected", "timed_out", "expired", "denied", "cancelled"];

    public static string State(CommandState state) =>
        state is CommandState.Unspecified || !Enum.IsDefined(state) ? "unknown" : States[(int)state - 1];

    public static bool TryParseState(string text, out CommandState state)
    {
        int index = States.ToList().IndexOf(text.Trim().ToLowerInvariant().Replace('-', '_'));
        state = index < 0 ? CommandState.Unspecified : (CommandState)(index + 1);
        return index >= 0;
    }

    public static bool IsFinal(CommandState state) => state is not (CommandState.AwaitingApproval or CommandState.Queued or CommandState.Sent);

    public static string Status(CommandStatus status) => status switch
    {
        CommandStatus.Succeeded => "succeeded",
        CommandStatus.Failed => "failed",
        CommandStatus.Rejected => "rejected",
        CommandStatus.TimedOut => "timed_out",
        _ => "unknown",
    };
}
