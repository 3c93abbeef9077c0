using OpsAgent.Agent.Commands;

namespace OpsAgent.Agent.Tests.Commands;

/// <summary>Stands in for the identity feature's store: holds the key an enrolled agent pinned (or none).</summary>
internal sealed class PinnedKeyProvider(PinnedCommandKey? key) : ICommandKeyProvider
{
    public PinnedCommandKey? Key { get; set; } = key;

    public PinnedCommandKey? GetPinnedKey() => Key;
}
