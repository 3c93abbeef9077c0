using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Detection;

/// <summary>Registers streaming anomaly detection: <c>services.AddDetection(configuration)</c>.</summary>
public static class DetectionServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="DetectionOptions"/> from <c>Collector:Detection</c> and registers detection's
    /// tables, the queries and live events the admin API serves, and (unless disabled) the workers fed from the store's
    /// ingest observer. Call before <c>AddTelemetryStore</c>, so that detection stops after the store has handed over
    /// its last committed batches.
    /// </summary>
    public static IServiceCollection AddDetection(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DetectionOptions>().Bind(configuration.GetSection(DetectionOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DetectionOptions>, DetectionOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        foreach (SchemaMigration migration in DetectionSchema.Migrations)
        {
            services.AddSingleton(migration);
        }

        services.TryAddSingleton<DetectionMetrics>();
        services.TryAddSingleton<DetectionEventHub>();
        services.TryAddSingleton<DetectionQueries>();
        services.TryAddSingleton(sp => new DetectionRepository(sp.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<IncidentTracker>();
        services.TryAddSingleton<DetectionPipeline>();
        if (configuration.GetSection(DetectionOptions.SectionName).GetValue<bool?>(nameof(DetectionOptions.Enabled)) != false)
        {
            services.AddSingleton<IIngestObserver, DetectionObserver>();
            services.AddHostedService<DetectionHostedService>();
        }

        return services;
    }
}
