using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;

namespace OpsAgent.EndToEnd.Tests.Infrastructure;

/// <summary>
/// gRPC spoken by hand over HTTP/2: length-prefixed frames of any bytes, to send what a real client library never would
/// (truncated and mutated messages, lying length prefixes, a stream that stalls halfway through a message).
/// </summary>
internal sealed class RawGrpc : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _base;

    public RawGrpc(string baseUrl, X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (baseUrl.StartsWith("https", StringComparison.Ordinal))
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                // The collector's identity is not what these tests are about; the real clients check its CA.
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            };
        }

        _http = new HttpClient(handler);
        _base = new Uri(baseUrl);
    }

    /// <summary>One length-prefixed gRPC frame around <paramref name="payload"/>; <paramref name="declaredLength"/> may lie.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload, uint? declaredLength = null, bool compressed = false)
    {
        byte[] frame = new byte[5 + payload.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declaredLength ?? (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }

    public static byte[] Frame(IMessage message) => Frame(message.ToByteArray());

    /// <summary>Posts <paramref name="body"/> to a method and reads the whole answer; returns the gRPC status (or the failure).</summary>
    public async Task<RawGrpcResult> CallAsync(string path, HttpContent body, TimeSpan timeout, string? bearerToken = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, path))
        {
            Content = body,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (bearerToken is not null)
        {
            request.Headers.TryAddWithoutValidation("authorization", "Bearer " + bearerToken);
        }

        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        try
        {
            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
            byte[] content = await response.Content.ReadAsByteArrayAsync(cts.Token).ConfigureAwait(false);
            string? status = Header(response, "grpc-status");
            string? message = Header(response, "grpc-message");
            return new RawGrpcResult((int)response.StatusCode, status is null ? null : int.Parse(status, System.Globalization.CultureInfo.InvariantCulture),
                message is null ? null : Uri.UnescapeDataString(message), content, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return new RawGrpcResult(0, null, null, [], ex);
        }
    }

    public void Dispose() => _http.Dispose();

    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out IEnumerable<string>? trailing) ? trailing.First()
        : response.Headers.TryGetValues(name, out IEnumerable<string>? leading) ? leading.First()
        : null;
}

/// <param name="HttpStatus">0 when the exchange failed before a response.</param>
/// <param name="GrpcStatus">The grpc-status trailer (or header of a trailers-only answer); null when none came.</param>
/// <param name="Failure">The transport failure, when the stream was reset or the connection dropped.</param>
internal sealed record RawGrpcResult(int HttpStatus, int? GrpcStatus, string? GrpcMessage, byte[] Body, Exception? Failure);

/// <summary>A request body that sends its bytes and then stalls, holding the stream open, until the call is cancelled.</summary>
internal sealed class StallingContent(byte[] prefix, TimeSpan holdFor) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(prefix, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        await Task.Delay(holdFor, cancellationToken).ConfigureAwait(false);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
