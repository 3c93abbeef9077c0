using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using OpsAgent.Agent.Configuration;

namespace OpsAgent.Agent.Identity;

/// <summary>
/// Opens gRPC channels to the collector's agent gateway: plain HTTP/2 to a loopback collector in insecure mode, else
/// TLS that trusts only the pinned CA, presenting the agent's certificate (mutual TLS). A channel is made per stream,
/// so a renewed certificate is used by the next connection.
/// </summary>
internal sealed partial class GatewayChannels(IOptions<AgentOptions> options, AgentCredentials credentials, TimeProvider time, ILogger<GatewayChannels> logger)
{
    private readonly Uri _url = new(options.Value.CollectorUrl!);
    private readonly UplinkOptions _uplink = options.Value.Uplink;

    public Uri Url => _url;

    /// <summary>The channel for the uplink and renewals: mutual TLS with the current certificate, or h2c in insecure mode.</summary>
    public GrpcChannel CreateAuthenticated()
    {
        if (!credentials.Secure)
        {
            return Create(ssl: null);
        }

        X509Certificate2 certificate = credentials.Certificate;
        X509Certificate2 ca = credentials.Ca;
        return Create(new SslClientAuthenticationOptions
        {
            ClientCertificates = [certificate],
            LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
            RemoteCertificateValidationCallback = (_, presented, _, errors) => Accept(ca, presented, errors),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        });
    }

    /// <summary>TLS that trusts only <paramref name="ca"/>, without a client certificate: where the enrolment token is sent.</summary>
    public GrpcChannel CreateVerified(X509Certificate2 ca) => Create(new SslClientAuthenticationOptions
    {
        RemoteCertificateValidationCallback = (_, presented, _, errors) => Accept(ca, presented, errors),
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
    });

    /// <summary>
    /// TLS that verifies nothing: only to fetch the collector's CA certificate, which the caller then checks against the
    /// token's pin. Nothing secret is ever sent on it.
    /// </summary>
    public GrpcChannel CreateUnverified() => Create(new SslClientAuthenticationOptions
    {
        RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
    });

    private bool Accept(X509Certificate2 ca, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (CollectorTrust.Check(ca, presented, errors, time.GetUtcNow()) is not { } problem)
        {
            return true;
        }

        LogUntrusted(logger, _url, problem);
        return false;
    }

    private GrpcChannel Create(SslClientAuthenticationOptions? ssl)
    {
        var handler = new SocketsHttpHandler
        {
            // Detect a dead collector or a silently dropped connection (NAT, firewall) without waiting for TCP.
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            EnableMultipleHttp2Connections = false,
        };
        if (ssl is not null)
        {
            handler.SslOptions = ssl;
        }

        return GrpcChannel.ForAddress(_url, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 16 * 1024 * 1024,
            MaxSendMessageSize = 16 * 1024 * 1024,

            // The channel has its own connection backoff (1 s doubling to 120 s by default) and fails every call fast
            // while it waits, so after a long outage the agent could stay dark up to two minutes after the collector is
            // back, whatever Agent:Uplink says. Its bounds follow the uplink's.
            InitialReconnectBackoff = _uplink.ReconnectMinDelay,
            MaxReconnectBackoff = _uplink.ReconnectMaxDelay,
        });
    }

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Refused the TLS connection to {Url}: {Problem}.")]
    private static partial void LogUntrusted(ILogger logger, Uri url, string problem);
}
