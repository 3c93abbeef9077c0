using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace OpsAgent.Collector.Gateway;

/// <summary>
/// Who is connected right now. One stream per agent: a new stream from the same agent replaces the old one (the agent
/// reconnected after a network change and the old TCP connection has not noticed yet).
/// </summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, AgentConnection> _connections = new(StringComparer.Ordinal);
    private volatile StrongBox<Grpc.Core.Status>? _closing;

    public int Count => _connections.Count;

    public void Register(AgentConnection connection)
    {
        if (_closing is { } closing)
        {
            // The collector is stopping: a stream that got this far is ended at once like every other one.
            connection.Close(closing.Value);
            return;
        }

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

    /// <summary>
    /// Ends every open stream, and every stream that registers from now on, with <paramref name="status"/>. Called when the
    /// collector begins to stop: an agent stream never ends by itself, and the web server would otherwise wait out its
    /// whole shutdown timeout for them, leaving no time for the store and the detectors to save their state.
    /// </summary>
    public void CloseAll(Grpc.Core.Status status)
    {
        _closing = new StrongBox<Grpc.Core.Status>(status);
        foreach (AgentConnection connection in _connections.Values)
        {
            connection.Close(status);
        }
    }
}
