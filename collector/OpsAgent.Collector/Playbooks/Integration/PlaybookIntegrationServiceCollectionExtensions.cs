using Microsoft.Extensions.DependencyInjection.Extensions;
using OpsAgent.Collector.Playbooks.Engine;

namespace OpsAgent.Collector.Playbooks.Integration;

/// <summary>Connects playbooks to detection, incidents and the audit log: <c>services.AddPlaybookIntegration()</c>.</summary>
public static class PlaybookIntegrationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the bridge from detection's events to the playbook engine (and the incident notifications), the handler
    /// that resolves and escalates incidents for the engine, the audit of playbook activity, and the pump that feeds the
    /// engine. Call after <c>AddDetection</c>, <c>AddPlaybooks</c>, <c>AddNotifications</c> and <c>AddCommands</c>.
    /// </summary>
    public static IServiceCollection AddPlaybookIntegration(this IServiceCollection services)
    {
        services.TryAddSingleton<PlaybookInbox>();
        services.AddHostedService<PlaybookInboxPump>();
        services.AddHostedService<DetectionTriggerBridge>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlaybookDecisionHandler, IncidentDecisionHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlaybookDecisionHandler, PlaybookAuditHandler>());
        return services;
    }
}
