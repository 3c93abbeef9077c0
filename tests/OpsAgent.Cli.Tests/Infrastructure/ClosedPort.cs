using System.Net;
using System.Net.Sockets;

namespace OpsAgent.Cli.Tests.Infrastructure;

/// <summary>A loopback URL that nothing listens on: a port the OS just handed out and that was closed again.</summary>
internal static class ClosedPort
{
    public static string Url()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }
}
