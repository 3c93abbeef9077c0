using System.Net;
using System.Net.Sockets;

namespace OpsAgent.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Picks free loopback ports for tests that restart a collector and need it back on the same address. Tests that
/// never restart use port 0 and read the real ports from endpoints.json instead.
/// </summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
