using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace OpsAgent.Cli.Connection;

/// <summary>Opens real gRPC channels over HTTP/2: h2c for http:// URLs, TLS for https:// URLs.</summary>
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

    private static SocketsHttpHandler CreateHandler(ConnectionSettings settings) => new()
    {
        // The HTTP stack only knows the real clock, so the connect timeout is real time; the overall
        // --timeout is enforced by the command (through the injected TimeProvider) as well.
        ConnectTimeout = settings.Timeout,
        EnableMultipleHttp2Connections = true,
        // Issue 4: SslOptions (trusted CA bundle, client certificate) are set here from ConnectionSettings.
    };
}
