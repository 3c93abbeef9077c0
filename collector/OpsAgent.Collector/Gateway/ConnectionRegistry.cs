using System.Collections.Concurrent;

namespace OpsAgent.Collector.Gateway;

/// <summary>
/// Who is connected right now. One stream per agent: a new stream from the same agent replaces the old one (the agent
/// reconnected after a network change and the old TCP connection has not noticed yet).
/// </summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, AgentConnection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public void Register(AgentConnection connection)
    {
        AgentConnection? previous = null;
        _connections.AddOrUpdate(
            connection.AgentId,
            connection,
            (_, existing) =>
            {
                previous = existing;
                return connection;
            });
        previous?.Close($"replaced by a newer stream from {connection.RemoteAddress}");
    }

    /// <summary>Removes the connection if it is still the registered one (a replaced stream must not remove its successor).</summary>
    public void Unregister(AgentConnection connection) =>
        _connections.TryRemove(new KeyValuePair<string, AgentConnection>(connection.AgentId, connection));

    public AgentConnection? Find(string agentId) => _connections.TryGetValue(agentId, out AgentConnection? c) ? c : null;

    public IReadOnlyCollection<AgentConnection> All => [.. _connections.Values];
}
