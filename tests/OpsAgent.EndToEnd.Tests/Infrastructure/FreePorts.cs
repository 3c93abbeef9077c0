using System.Net;
using System.Net.Sockets;

namespace OpsAgent.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Picks free loopback ports for tests that restart a collector and need it back on the same address. Tests that
/// never restart use port 0 and read the real ports from endpoints.json instead.
/// </summary>
internal static class FreePorts
{
    // Outside Linux's ephemeral range (32768-60999), so the port is not handed to some client socket between the test
    // choosing it and the collector binding it.
    private const int First = 20_000;
    private const int Last = 32_000;

    public static int Next()
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int port = Random.Shared.Next(First, Last);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: try another.
            }
        }

        throw new InvalidOperationException($"no free loopback port between {First} and {Last} after 200 attempts");
    }
}
