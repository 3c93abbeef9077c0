using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OpsAgent.Collector.Notifications;

/// <summary>Registers webhook notifications: <c>builder.Services.AddNotifications(builder.Configuration)</c>.</summary>
public static class NotificationServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <c>Collector:Notifications</c> (receivers, queue, retries), and registers the dispatcher as
    /// <c>INotificationPublisher</c> and as a hosted service that delivers each receiver's queue. With no receiver
    /// configured, publishing is a no-op.
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<NotificationOptions>()
            .Configure(o => NotificationOptionsBinder.Bind(configuration.GetSection(NotificationOptions.SectionName), o))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NotificationCounters>();
        services.AddHttpClient(NotificationDispatcher.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A webhook that redirects would receive the Authorization header at another address; refuse instead.
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .RemoveAllLoggers();
        services.TryAddSingleton<NotificationDispatcher>();
        services.TryAddSingleton<INotificationPublisher>(sp => sp.GetRequiredService<NotificationDispatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        return services;
    }
}
