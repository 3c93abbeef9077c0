using OpsAgent.Protocol;

namespace OpsAgent.Agent.Commands;

/// <summary>The outcome of <see cref="CommandVerifier.Verify"/>: a command that may go on to the policy, or a rejection.</summary>
internal sealed class CommandVerification
{
    private CommandVerification(Command? command, string commandId, CommandRejection? rejection)
    {
        Command = command;
        CommandId = commandId;
        Rejection = rejection;
    }

    /// <summary>The verified command; null when rejected.</summary>
    public Command? Command { get; }

    /// <summary>
    /// The verified command id, or for a rejection the id the message claims (empty when it has none): only a label for
    /// the result, so that the collector can match the rejection to what it sent. Nothing else is taken from it.
    /// </summary>
    public string CommandId { get; }

    public CommandRejection? Rejection { get; }

    public static CommandVerification Accepted(Command command) => new(command, command.CommandId, null);

    public static CommandVerification Rejected(string claimedCommandId, string code, string reason) =>
        new(null, claimedCommandId, new CommandRejection(code, reason));
}
