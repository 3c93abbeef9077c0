using System.Threading.Channels;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Gateway;

/// <summary>
/// One open agent stream: who, from where, since when, and the queue of messages going down to it. Everything sent
/// to the agent (acks, later commands) goes through <see cref="SendAsync"/> so that only one
/// writer ever touches the gRPC response stream.
/// </summary>
internal sealed class AgentConnection : IDisposable
{
    private readonly CancellationTokenSource _closed;
    private long _lastSeenUnixMs;

    public AgentConnection(string agentId, string hostname, string remoteAddress, long connectedAtUnixMs, CancellationToken callAborted)
    {
        AgentId = agentId;
        Hostname = hostname;
        RemoteAddress = remoteAddress;
        ConnectedAtUnixMs = connectedAtUnixMs;
        _lastSeenUnixMs = connectedAtUnixMs;
        _closed = CancellationTokenSource.CreateLinkedTokenSource(callAborted);
        Outgoing = Channel.CreateBounded<CollectorMessage>(new BoundedChannelOptions(256)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string AgentId { get; }

    public string Hostname { get; }

    public string RemoteAddress { get; }

    public long ConnectedAtUnixMs { get; }

    public long LastSeenUnixMs => Interlocked.Read(ref _lastSeenUnixMs);

    /// <summary>Cancelled when the call ends or the connection is replaced or cut off.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Why the collector closed this connection, when it did.</summary>
    public string? CloseReason { get; private set; }

    /// <summary>The status the stream ends with when the collector cut it off (revoked, certificate expired).</summary>
    public Grpc.Core.Status? CloseStatus { get; private set; }

    public Channel<CollectorMessage> Outgoing { get; }

    public void Touch(long nowUnixMs) => Interlocked.Exchange(ref _lastSeenUnixMs, nowUnixMs);

    public ValueTask SendAsync(CollectorMessage message, CancellationToken cancellationToken) =>
        Outgoing.Writer.WriteAsync(message, cancellationToken);

    public void Close(string reason)
    {
        CloseReason ??= reason;
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished and disposed: nothing left to close.
        }
    }

    /// <summary>Cuts the agent off: the stream ends with <paramref name="status"/> instead of an ordinary close.</summary>
    public void Close(Grpc.Core.Status status)
    {
        CloseStatus ??= status;
        Close(status.Detail);
    }

    public void Dispose() => _closed.Dispose();
}
