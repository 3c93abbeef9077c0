using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OpsAgent.Collector.Endpoints;

/// <summary>
/// Configures the three Kestrel listeners and remembers which is which, so requests can be routed by the listener
/// they arrived on (a fleet-facing port must not serve the admin API). Ports are read back after binding, which is
/// what makes port 0 usable.
/// </summary>
internal sealed class CollectorListeners
{
    private readonly Dictionary<ListenerKind, ListenOptions> _bound = [];

    public void Configure(KestrelServerOptions kestrel, ListenerKind kind, ListenAddress address, Action<ListenOptions>? configureTls)
    {
        kestrel.Listen(address.Address, address.Port, listen =>
        {
            // Prometheus scrapes over HTTP/1.1; without TLS (no ALPN) Kestrel can offer only one protocol per port.
            listen.Protocols = kind != ListenerKind.Metrics ? HttpProtocols.Http2
                : address.Tls ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
            if (address.Tls)
            {
                configureTls?.Invoke(listen);
            }

            _bound[kind] = listen;
        });
    }

    public ListenerKind Identify(int localPort)
    {
        foreach ((ListenerKind kind, ListenOptions options) in _bound)
        {
            if (options.IPEndPoint?.Port == localPort)
            {
                return kind;
            }
        }

        return ListenerKind.Unknown;
    }

    /// <summary>The URL a client on this machine uses for a listener, with the port actually bound.</summary>
    public string? UrlOf(ListenerKind kind, bool tls)
    {
        if (!_bound.TryGetValue(kind, out ListenOptions? options) || options.IPEndPoint is null)
        {
            return null;
        }

        IPAddress ip = options.IPEndPoint.Address;
        string host = ip.Equals(IPAddress.Any) ? "127.0.0.1" : ip.Equals(IPAddress.IPv6Any) ? "[::1]" : ip.ToString();
        if (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !host.StartsWith('['))
        {
            host = $"[{host}]";
        }

        return $"{(tls ? "https" : "http")}://{host}:{options.IPEndPoint.Port}";
    }
}
