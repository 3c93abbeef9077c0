using OpsAgent.Agent.Commands;

namespace OpsAgent.Agent.Tests.Commands;

/// <summary>Stands in for the identity feature's store: holds the key an enrolled agent pinned (or none).</summary>
internal sealed class PinnedKeyProvider(ICommandKey? key) : ICommandKeyProvider
{
    public ICommandKey? Key { get; set; } = key;

    public ICommandKey? GetPinnedKey() => Key;
}
