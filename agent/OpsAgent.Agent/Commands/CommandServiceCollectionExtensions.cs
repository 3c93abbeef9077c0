using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpsAgent.Agent.Actions;
using OpsAgent.Agent.Actions.Cleanup;
using OpsAgent.Agent.Actions.Diagnostics;
using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Agent.Actions.Scripts;
using OpsAgent.Agent.Actions.Services;
using OpsAgent.Agent.Actions.Signals;
using OpsAgent.Agent.Configuration;
using OpsAgent.Agent.Sources;

namespace OpsAgent.Agent.Commands;

/// <summary>Registers the command channel: options, the local policy, verification, the journal, the actions and the executor.</summary>
internal static class CommandServiceCollectionExtensions
{
    public static IServiceCollection AddCommands(this IServiceCollection services, IConfiguration configuration)
    {
        IConfigurationSection section = configuration.GetSection(CommandOptions.SectionName);
        services.AddOptions<CommandOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CommandOptions>, CommandOptionsValidator>();

        // The policy file's path is read without validating the other command options, so that a bad ClockSkew and a
        // bad policy are reported together at start-up rather than one after the other.
        services.AddOptions<LocalPolicy>()
            .Configure(policy =>
            {
                var commands = new CommandOptions();
                section.Bind(commands);
                PolicyLoader.LoadInto(policy, commands.PolicyFile);
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<LocalPolicy>, LocalPolicyValidator>();

        // The identity feature registers the real provider (the key pinned at enrolment); until then no key is pinned.
        services.TryAddSingleton<ICommandKeyProvider, UnenrolledCommandKeyProvider>();
        services.AddSingleton<CommandStatistics>();
        services.AddSingleton<CommandVerifier>();
        services.AddSingleton(sp =>
        {
            CommandOptions commands = sp.GetRequiredService<IOptions<CommandOptions>>().Value;
            return new CommandJournal(
                Path.Combine(sp.GetRequiredService<IOptions<AgentOptions>>().Value.StateDirectory, "commands"),
                commands.MaxRememberedCommands,
                commands.ClockSkew,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<CommandJournal>>());
        });

        services.AddSingleton<ProcessRunner>();
        services.AddSingleton(sp => new ProcessSampler(sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(1)));
        services.AddSingleton<IActionHandler, ServiceActionHandler>();
        services.AddSingleton<IActionHandler, SignalActionHandler>();
        services.AddSingleton<IActionHandler, CleanupActionHandler>();
        services.AddSingleton<IActionHandler, ScriptActionHandler>();
        services.AddSingleton<IActionHandler, DiagnosticsActionHandler>();
        services.AddSingleton<ActionRunner>();

        services.AddSingleton<CommandExecutor>();
        services.AddSingleton<ICommandInbox>(sp => sp.GetRequiredService<CommandExecutor>());
        services.AddHostedService(sp => sp.GetRequiredService<CommandExecutor>());
        services.AddSingleton<IMetricSource, CommandMetricSource>();
        return services;
    }
}
