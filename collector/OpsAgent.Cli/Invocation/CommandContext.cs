using System.CommandLine;
using Grpc.Core;
using OpsAgent.Cli.Connection;
using OpsAgent.Cli.Output;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Invocation;

/// <summary>What a command's action works with: its parsed arguments, its output, the clock and the collector.</summary>
internal sealed class CommandContext : IDisposable
{
    private readonly ICollectorChannelFactory _channels;
    private CollectorChannel? _channel;

    public CommandContext(
        ParseResult parseResult, CommandOutput output, TimeProvider time, ConnectionSettings connection,
        ICollectorChannelFactory channels, CancellationToken cancellationToken)
    {
        ParseResult = parseResult;
        Output = output;
        Time = time;
        Connection = connection;
        _channels = channels;
        CancellationToken = cancellationToken;
    }

    public ParseResult ParseResult { get; }

    public CommandOutput Output { get; }

    public TimeProvider Time { get; }

    public ConnectionSettings Connection { get; }

    /// <summary>Cancelled on Ctrl-C and, unless the command opted out, when --timeout runs out.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>A call invoker on the collector, opened on first use; build any service's client from it.</summary>
    public CallInvoker Collector => (_channel ??= _channels.Open(Connection)).CallInvoker;

    /// <summary>
    /// A new channel to another endpoint of the same collector (its agent gateway) with this command's connection
    /// settings; the caller disposes it.
    /// </summary>
    public CollectorChannel OpenChannel(Uri endpoint) => _channels.Open(Connection with { Collector = endpoint });

    /// <summary>A client of the collector's Admin service.</summary>
    public Admin.AdminClient Admin => new(Collector);

    /// <summary>A client of the collector's Access service (tokens, revocation, audit).</summary>
    public Protocol.Access.AccessClient Access => new(Collector);

    public T? GetValue<T>(Option<T> option) => ParseResult.GetValue(option);

    public T? GetValue<T>(Argument<T> argument) => ParseResult.GetValue(argument);

    public void Dispose() => _channel?.Dispose();
}
