using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace OpsAgent.Collector.Endpoints;

/// <summary>A listener address from configuration: scheme, IP and port ("http://127.0.0.1:7400", "https://0.0.0.0:7400").</summary>
internal sealed record ListenAddress(bool Tls, IPAddress Address, int Port)
{
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    public static bool TryParse(string? value, [NotNullWhen(true)] out ListenAddress? address, [NotNullWhen(false)] out string? problem)
    {
        address = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problem = "use the form http://IP:PORT or https://IP:PORT, e.g. https://0.0.0.0:7400.";
            return false;
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            problem = "a listener address has no path or query; use http://IP:PORT.";
            return false;
        }

        IPAddress? ip = uri.Host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" => IPAddress.Any,
            _ => IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? parsed) ? parsed : null,
        };
        if (ip is null)
        {
            problem = $"'{uri.Host}' is not an IP address; listeners bind to an IP (0.0.0.0 for all interfaces, 127.0.0.1 for this machine only).";
            return false;
        }

        address = new ListenAddress(uri.Scheme == Uri.UriSchemeHttps, ip, uri.Port);
        problem = null;
        return true;
    }
}
