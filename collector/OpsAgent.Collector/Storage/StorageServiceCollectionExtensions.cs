using OpsAgent.Collector.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OpsAgent.Collector.Storage;

/// <summary>Registers the embedded store: <c>builder.Services.AddTelemetryStore(builder.Configuration)</c>.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="StorageOptions"/> from <c>Collector:Storage</c>, and registers the database,
    /// the telemetry store, the agent repository, the store's counters and the hosted service that opens the store
    /// at start-up and checkpoints it on stop. Call before adding services that need the store at start-up.
    /// </summary>
    public static IServiceCollection AddTelemetryStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // The store lives in the collector's data directory unless Collector:Storage:DataDirectory puts it elsewhere.
        services.AddOptions<StorageOptions>()
            .Configure(o => o.DataDirectory = configuration[$"{CollectorOptions.SectionName}:{nameof(CollectorOptions.DataDirectory)}"] ?? CollectorPaths.DefaultDataDirectory)
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        foreach (SchemaMigration migration in TelemetrySchema.Migrations)
        {
            services.AddSingleton(migration);
        }

        services.TryAddSingleton<SqliteDatabase>();
        services.TryAddSingleton<StoreCounters>();
        services.TryAddSingleton<SqliteAgentRepository>();
        services.TryAddSingleton<IAgentRepository>(sp => sp.GetRequiredService<SqliteAgentRepository>());
        services.TryAddSingleton<SqliteTelemetryStore>();
        services.TryAddSingleton<ITelemetryStore>(sp => sp.GetRequiredService<SqliteTelemetryStore>());
        services.AddHostedService<TelemetryStoreHostedService>();
        return services;
    }
}
