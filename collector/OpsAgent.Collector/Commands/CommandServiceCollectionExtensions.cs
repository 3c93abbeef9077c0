using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Playbooks;
using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Commands;

/// <summary>Registers the command dispatcher: <c>services.AddCommands(configuration)</c>.</summary>
public static class CommandServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <c>Collector:Commands</c>; registers the <c>commands</c> table (schema component "commands"),
    /// the dispatcher (a hosted service: expiry sweeps, audit entries), the sink that stores agents' results with their
    /// batch, and the handler of the playbook engine's command decisions. Needs the store (<c>AddTelemetryStore</c>), the
    /// command signing key and the audit log (<c>AddIdentityAndAccess</c>) and playbooks (<c>AddPlaybooks</c>).
    /// </summary>
    public static IServiceCollection AddCommands(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CommandOptions>().Bind(configuration.GetSection(CommandOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CommandOptions>, CommandOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        foreach (SchemaMigration migration in CommandSchema.Migrations)
        {
            services.AddSingleton(migration);
        }

        services.TryAddSingleton<PlaybookInbox>();
        services.TryAddSingleton<CommandCounters>();
        services.TryAddSingleton<CommandRepository>();
        services.TryAddSingleton<CommandDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<CommandDispatcher>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBatchSink, CommandResultSink>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlaybookDecisionHandler, PlaybookCommandHandler>());
        return services;
    }
}
