using Grpc.Core;

namespace OpsAgent.Collector.Gateway;

/// <summary>
/// When the collector begins to stop, ends the agents' streams with UNAVAILABLE so that they reconnect (with backoff) to
/// the collector that comes back, and resend whatever was not acknowledged; the store deduplicates.
/// </summary>
internal sealed class GatewayShutdown(IHostApplicationLifetime lifetime, ConnectionRegistry registry) : IHostedService
{
    private static readonly Status Stopping = new(StatusCode.Unavailable,
        "the collector is shutting down; reconnect with backoff and resend what was not acknowledged");

    private CancellationTokenRegistration _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStopping.Register(() => registry.CloseAll(Stopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration.Dispose();
        return Task.CompletedTask;
    }
}
