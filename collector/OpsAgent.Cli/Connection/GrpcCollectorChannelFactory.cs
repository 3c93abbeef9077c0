using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace OpsAgent.Cli.Connection;

/// <summary>Opens real gRPC channels over HTTP/2: h2c for http:// URLs, TLS for https:// URLs (trusting the configured CA, if any).</summary>
internal sealed class GrpcCollectorChannelFactory : ICollectorChannelFactory
{
    // Query answers for many series are large; the 4 MB gRPC default would fail a legitimate wide query.
    private const int MaxReceiveMessageBytes = 64 * 1024 * 1024;

    public CollectorChannel Open(ConnectionSettings settings)
    {
        var channel = GrpcChannel.ForAddress(settings.Collector, new GrpcChannelOptions
        {
            HttpHandler = CreateHandler(settings),
            DisposeHttpClient = true,
            MaxReceiveMessageSize = MaxReceiveMessageBytes,
            // Cancellation (Ctrl-C, --timeout) then surfaces as OperationCanceledException, which the error
            // reporter tells apart from a status the collector sent.
            ThrowOperationCanceledOnCancellation = true,
        });

        CallInvoker invoker = channel.CreateCallInvoker();
        if (settings.Token is { } token)
        {
            // A metadata interceptor rather than CallCredentials: it also works on the h2c channel to a loopback
            // collector, and ConnectionSettingsResolver already refuses clear text to any other address.
            var header = "Bearer " + token;
            invoker = invoker.Intercept(metadata =>
            {
                metadata.Add("authorization", header);
                return metadata;
            });
        }

        return new CollectorChannel(invoker, channel);
    }

    private static SocketsHttpHandler CreateHandler(ConnectionSettings settings)
    {
        var handler = new SocketsHttpHandler
        {
            // The HTTP stack only knows the real clock, so the connect timeout is real time; the overall
            // --timeout is enforced by the command (through the injected TimeProvider) as well.
            ConnectTimeout = settings.Timeout,
            EnableMultipleHttp2Connections = true,
        };
        if (settings.CaCertificatePem is { } pem && settings.Collector.Scheme == Uri.UriSchemeHttps)
        {
            // The collector's own CA, and only it: a collector certificate is never vouched for by a public CA.
            X509Certificate2Collection trusted = CaBundle.Parse(pem, settings.CaSource ?? "the configuration");
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, errors) => IsTrusted(trusted, presented, errors),
            };
        }

        return handler;
    }

    private static bool IsTrusted(X509Certificate2Collection trusted, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain.Build(certificate);
    }
}
