using System.Buffers.Binary;
using System.Collections.Frozen;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Access;

namespace OpsAgent.Collector.Endpoints;

/// <summary>
/// Checks the single request message of unary gRPC calls before gRPC does: a frame that is incomplete, lies about its
/// length or does not parse as the method's request type is answered with INVALID_ARGUMENT and what is wrong. gRPC's
/// own answer to such bytes is UNKNOWN "Exception was thrown by handler" with an error and a stack trace in the log
/// for every one, which tells a client nothing and lets anyone fill the collector's log. The body is at most the
/// gRPC receive limit, read once, and handed on unchanged. (Streaming calls are checked message by message by
/// <see cref="ValidatingStreamReader{T}"/>.)
/// </summary>
internal sealed partial class UnaryRequestValidationMiddleware(
    RequestDelegate next,
    SecurityMetrics metrics,
    IOptions<GrpcServiceOptions> grpc,
    TimeProvider time,
    ILogger<UnaryRequestValidationMiddleware> logger)
{
    private const int HeaderLength = 5;

    private static readonly FrozenDictionary<string, MessageParser> Parsers = BuildParsers();

    private readonly RateLimiting.TokenBucket _logBudget = new(1, 30, time);

    /// <summary>The largest body checked; larger ones go to gRPC, which refuses them with RESOURCE_EXHAUSTED.</summary>
    private readonly int _maxBodyBytes = grpc.Value.MaxReceiveMessageSize ?? 4 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) ||
            context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true ||
            !Parsers.TryGetValue(context.Request.Path.Value ?? "", out MessageParser? parser))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > _maxBodyBytes + HeaderLength)
            {
                break;
            }
        }

        if (buffer.Length <= _maxBodyBytes + HeaderLength && Problem(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), parser) is { } problem)
        {
            string service = MethodAccess.ServiceOf(context.Request.Path.Value!);
            metrics.Refused(service, "InvalidArgument");
            if (_logBudget.TryTake(1, out _))
            {
                LogMalformed(logger, context.Request.Path.Value!, context.Connection.RemoteIpAddress?.ToString() ?? "?", problem);
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "3";
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString(problem);
            return;
        }

        if (buffer.Length > _maxBodyBytes + HeaderLength)
        {
            // Too large to check here: gRPC reads on and refuses it as too large.
            buffer.Position = 0;
            context.Request.Body = new ConcatenatedStream(buffer, context.Request.Body);
        }
        else
        {
            context.Request.Body = new MemoryStream(buffer.ToArray(), writable: false);
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>What is wrong with the body of a unary call, or null when it is one well-formed message.</summary>
    internal static string? Problem(ReadOnlySpan<byte> body, MessageParser parser)
    {
        if (body.Length < HeaderLength)
        {
            return $"the request body is {body.Length} bytes, shorter than a gRPC frame header; it must hold exactly one message";
        }

        if (body[0] > 1)
        {
            return $"the frame's compressed flag is {body[0]}; it must be 0 or 1";
        }

        uint declared = BinaryPrimitives.ReadUInt32BigEndian(body[1..]);
        if (declared != (uint)(body.Length - HeaderLength))
        {
            return $"the frame announces {declared} bytes but {body.Length - HeaderLength} follow; a unary call carries exactly one message";
        }

        if (body[0] == 1)
        {
            return null; // compressed: gRPC decides (this collector enables no compression, so it refuses it)
        }

        try
        {
            parser.ParseFrom(body[HeaderLength..].ToArray());
            return null;
        }
        catch (InvalidProtocolBufferException ex)
        {
            return $"the request is not a valid {parser.GetType().GenericTypeArguments.FirstOrDefault()?.Name ?? "message"}: {ex.Message}";
        }
    }

    private static FrozenDictionary<string, MessageParser> BuildParsers()
    {
        Google.Protobuf.Reflection.ServiceDescriptor[] services =
        [
            Protocol.AgentGateway.Descriptor, Protocol.Admin.Descriptor, Protocol.Access.Descriptor, Grpc.Health.V1.Health.Descriptor,
        ];
        var parsers = new Dictionary<string, MessageParser>(StringComparer.Ordinal);
        foreach (Google.Protobuf.Reflection.MethodDescriptor method in services.SelectMany(s => s.Methods).Where(m => !m.IsClientStreaming))
        {
            parsers[$"/{method.Service.FullName}/{method.Name}"] = method.InputType.Parser;
        }

        return parsers.ToFrozenDictionary(StringComparer.Ordinal);
    }

    [LoggerMessage(EventId = 2502, Level = LogLevel.Warning, Message = "Refused a malformed call to {Method} from {Remote}: {Problem}. (Sampled; every one is counted in opsagent_collector_refused_calls_total.)")]
    private static partial void LogMalformed(ILogger logger, string method, string remote, string problem);

    /// <summary>What was already read, then the rest of the original body.</summary>
    private sealed class ConcatenatedStream(Stream first, Stream second) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = first.Read(buffer, offset, count);
            return n > 0 ? n : second.Read(buffer, offset, count);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = await first.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            return n > 0 ? n : await second.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
