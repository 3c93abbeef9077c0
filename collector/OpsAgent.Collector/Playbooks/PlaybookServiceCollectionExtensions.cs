using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Configuration;
using OpsAgent.Collector.Playbooks.Catalog;
using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Collector.Playbooks.Persistence;
using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Playbooks;

/// <summary>Registers self-healing playbooks: <c>builder.Services.AddPlaybooks(builder.Configuration)</c>.</summary>
public static class PlaybookServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <c>Collector:Playbooks</c>; registers the playbook store (directory of YAML files, watched),
    /// the engine with its SQLite state (schema component "playbooks", applied with the store's migrations), the runner
    /// that feeds it (hosted service), the notification bridge, and counters. Call after <c>AddTelemetryStore</c>,
    /// which registers the database. Add <c>IPlaybookDecisionHandler</c>s (the command dispatcher, the audit log) to act
    /// on its decisions, and post events to <c>PlaybookRunner</c>; see Playbooks/README.md.
    /// </summary>
    public static IServiceCollection AddPlaybooks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PlaybookOptions>()
            .Configure(o => o.Directory = Path.Combine(
                configuration[$"{CollectorOptions.SectionName}:{nameof(CollectorOptions.DataDirectory)}"] ?? CollectorPaths.DefaultDataDirectory, "playbooks"))
            .Bind(configuration.GetSection(PlaybookOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PlaybookOptions>, PlaybookOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        foreach (SchemaMigration migration in PlaybookSchema.Migrations)
        {
            services.AddSingleton(migration);
        }

        services.TryAddSingleton<PlaybookCounters>();
        services.TryAddSingleton<PlaybookStore>();
        services.TryAddSingleton<IPlaybookCatalog>(sp => sp.GetRequiredService<PlaybookStore>());
        services.TryAddSingleton<IPlaybookStateRepository, SqlitePlaybookStateRepository>();
        services.TryAddSingleton<PlaybookEngine>();
        services.TryAddSingleton<PlaybookRunner>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlaybookDecisionHandler, PlaybookNotificationHandler>());
        services.AddHostedService<PlaybookDirectoryWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<PlaybookRunner>());
        return services;
    }
}
