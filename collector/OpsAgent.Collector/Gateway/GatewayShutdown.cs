using Grpc.Core;

namespace OpsAgent.Collector.Gateway;

/// <summary>
/// When the collector begins to stop, ends the agents' streams with UNAVAILABLE so that they reconnect (with backoff) to
/// the collector that comes back, and resend whatever was not acknowledged; the store deduplicates.
/// </summary>
/// <remarks>
/// Ending a stream is not enough for the agent to learn why: the status travels in the stream's trailers, and when the
/// web server closes the connection right after, a busy agent may see only the closed connection. This service stops
/// before the web server (hosted services stop in reverse order of registration, and the server's is registered first),
/// so <see cref="StopAsync"/> waits, briefly and boundedly, until the streams have ended and their trailers had time to
/// go out.
/// </remarks>
internal sealed class GatewayShutdown(IHostApplicationLifetime lifetime, ConnectionRegistry registry, TimeProvider time) : IHostedService
{
    /// <summary>The longest the stop waits for the agents' streams to end.</summary>
    internal static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Time for the last trailers to reach the agents before the server closes the connections.</summary>
    internal static readonly TimeSpan TrailerGrace = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private static readonly Status Stopping = new(StatusCode.Unavailable,
        "the collector is shutting down; reconnect with backoff and resend what was not acknowledged");

    private CancellationTokenRegistration _registration;
    private volatile bool _hadConnections;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStopping.Register(() =>
        {
            _hadConnections = registry.Count > 0;
            registry.CloseAll(Stopping);
        });
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _registration.Dispose();
        if (!_hadConnections)
        {
            return;
        }

        try
        {
            long started = time.GetTimestamp();
            while (registry.Count > 0 && time.GetElapsedTime(started) < DrainTimeout)
            {
                await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(TrailerGrace, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out: stop now; the agents reconnect and resend either way.
        }
    }
}
