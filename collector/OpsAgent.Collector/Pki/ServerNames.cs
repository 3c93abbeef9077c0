using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using OpsAgent.Collector.Endpoints;

namespace OpsAgent.Collector.Pki;

/// <summary>
/// The names the collector's server certificate must carry: loopback and this machine's name always (the quickstart,
/// opsctl on the collector's host), each listener's IP (every interface's addresses for 0.0.0.0 / ::), and the
/// configured <see cref="TlsOptions.ExtraNames"/> for DNS aliases and load balancers.
/// </summary>
internal sealed record ServerNames(IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> Addresses)
{
    public static ServerNames For(IEnumerable<ListenAddress> listeners, IEnumerable<string> extraNames)
    {
        var dns = new SortedSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost" };
        var ips = new HashSet<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        if (Uri.CheckHostName(Environment.MachineName) == UriHostNameType.Dns)
        {
            dns.Add(Environment.MachineName.ToLowerInvariant());
        }

        foreach (ListenAddress listener in listeners)
        {
            if (listener.Address.Equals(IPAddress.Any) || listener.Address.Equals(IPAddress.IPv6Any))
            {
                foreach (IPAddress local in LocalAddresses())
                {
                    ips.Add(local);
                }
            }
            else
            {
                ips.Add(listener.Address);
            }
        }

        foreach (string name in extraNames)
        {
            if (IPAddress.TryParse(name, out IPAddress? ip))
            {
                ips.Add(ip);
            }
            else
            {
                dns.Add(name.ToLowerInvariant());
            }
        }

        return new ServerNames([.. dns], [.. ips.OrderBy(a => a.ToString(), StringComparer.Ordinal)]);
    }

    /// <summary>True when the certificate already carries exactly these names.</summary>
    public bool Matches(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var san = certificate.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (san is null)
        {
            return false;
        }

        var haveDns = new HashSet<string>(san.EnumerateDnsNames(), StringComparer.OrdinalIgnoreCase);
        var haveIps = new HashSet<IPAddress>(san.EnumerateIPAddresses());
        return haveDns.SetEquals(DnsNames) && haveIps.SetEquals(Addresses);
    }

    private static IEnumerable<IPAddress> LocalAddresses()
    {
        NetworkInterface[] interfaces;
        try
        {
            interfaces = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            yield break;
        }

        foreach (NetworkInterface nic in interfaces)
        {
            if (nic.OperationalStatus != OperationalStatus.Up)
            {
                continue;
            }

            foreach (UnicastIPAddressInformation unicast in nic.GetIPProperties().UnicastAddresses)
            {
                IPAddress address = unicast.Address;
                if (address.AddressFamily == AddressFamily.InterNetwork)
                {
                    yield return address;
                }
                else if (address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv6LinkLocal)
                {
                    yield return new IPAddress(address.GetAddressBytes()); // without the scope id, as a certificate holds it
                }
            }
        }
    }
}
