using Google.Protobuf;
using Grpc.Core;

namespace OpsAgent.Collector.Access;

/// <summary>
/// A request stream whose malformed messages end the call with INVALID_ARGUMENT and a reason, instead of the
/// UNKNOWN "Exception was thrown by handler" (and an error log with a stack trace) gRPC gives by default: bad bytes
/// from a peer are the peer's mistake, not the collector's.
/// </summary>
internal sealed class ValidatingStreamReader<T>(IAsyncStreamReader<T> inner) : IAsyncStreamReader<T>
{
    public T Current => inner.Current;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        try
        {
            return await inner.MoveNext(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"a message on the stream is not a valid {typeof(T).Name}: {ex.Message}"));
        }
        catch (InvalidDataException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"a message on the stream is malformed: {ex.Message}"));
        }
    }
}
