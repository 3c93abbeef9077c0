using Grpc.Core;

namespace OpsAgent.Cli.Connection;

/// <summary>
/// A call invoker for any of the collector's services (Admin now; more services later build their clients
/// from the same invoker), plus whatever has to be released when the command ends.
/// </summary>
internal sealed class CollectorChannel(CallInvoker callInvoker, IDisposable? owner) : IDisposable
{
    public CallInvoker CallInvoker { get; } = callInvoker;

    public void Dispose() => owner?.Dispose();
}
