namespace OpsAgent.Agent.Commands;

/// <summary>
/// The key provider of an agent that has not pinned a command key: no key, so every command is rejected and the
/// rejection says why. Registered only when nothing else provides <see cref="ICommandKeyProvider"/>.
/// </summary>
internal sealed class UnenrolledCommandKeyProvider : ICommandKeyProvider
{
    public ICommandKey? GetPinnedKey() => null;
}
