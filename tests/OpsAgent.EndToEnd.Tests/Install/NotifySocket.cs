using System.Net.Sockets;
using System.Text;

namespace OpsAgent.EndToEnd.Tests.Install;

/// <summary>
/// The receiving end of sd_notify(3): a Unix datagram socket that stands in for systemd's NOTIFY_SOCKET, so that a test
/// sees exactly the state changes (READY=1, STOPPING=1, ...) a service would report to systemd.
/// </summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket;
    private readonly List<string> _received = [];

    public NotifySocket(string path)
    {
        Path = path;
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(path));
    }

    /// <summary>The value for the service's NOTIFY_SOCKET environment variable.</summary>
    public string Path { get; }

    /// <summary>Every assignment received so far, in order ("READY=1", "STOPPING=1", ...).</summary>
    public IReadOnlyList<string> Received => _received;

    /// <summary>Reads datagrams until one carries <paramref name="assignment"/>; fails with what did arrive on timeout.</summary>
    public async Task WaitForAsync(string assignment, TimeSpan timeout, Func<string> diagnostics)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        byte[] buffer = new byte[4096];
        while (!_received.Contains(assignment))
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"No {assignment} on {Path} within {timeout}; received: [{string.Join(", ", _received)}]\n{diagnostics()}");
            }

            // One datagram may carry several newline-separated assignments (sd_notify(3)).
            _received.AddRange(Encoding.UTF8.GetString(buffer, 0, length).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        File.Delete(Path);
    }
}
