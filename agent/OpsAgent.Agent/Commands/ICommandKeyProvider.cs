namespace OpsAgent.Agent.Commands;

/// <summary>
/// Gives the command verifier the key this agent pinned at enrolment. Implemented by the identity feature, which
/// stores the key in the state directory; called once per command, so a re-enrolment takes effect at once.
/// </summary>
internal interface ICommandKeyProvider
{
    /// <summary>
    /// The pinned key, or null when the agent has not enrolled: then every command is rejected. May throw
    /// <see cref="InvalidDataException"/> (or an I/O exception) when the stored key is damaged or unreadable; the
    /// command is then rejected with that message.
    /// </summary>
    ICommandKey? GetPinnedKey();
}
