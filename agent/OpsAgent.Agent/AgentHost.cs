using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Options;
using OpsAgent.Agent.Commands;
using OpsAgent.Agent.Configuration;
using OpsAgent.Agent.Footprint;
using OpsAgent.Agent.Identity;
using OpsAgent.Agent.Outbox;
using OpsAgent.Agent.Sources;
using OpsAgent.Agent.Sources.Host;
using OpsAgent.Agent.Sources.Self;
using OpsAgent.Agent.Sources.Synthetic;
using OpsAgent.Agent.Uplink;

namespace OpsAgent.Agent;

/// <summary>Builds the agent's host: configuration sources, services, and the systemd / Windows service integration.</summary>
internal static class AgentHost
{
    /// <summary>Short command-line switches for the settings an operator types most.</summary>
    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--collector"] = "Agent:CollectorUrl",
        ["--agent-id"] = "Agent:AgentId",
        ["--hostname"] = "Agent:Hostname",
        ["--state-dir"] = "Agent:StateDirectory",
        ["--interval"] = "Agent:Metrics:IntervalSeconds",
    };

    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        (string configFile, bool explicitConfig, string[] rest) = ExtractConfigFile(args);
        if (explicitConfig && !File.Exists(configFile))
        {
            throw new AgentConfigurationException(
                $"The configuration file {configFile} does not exist. Create it (see install/linux/agent.json for an example) or point --config / {AgentPaths.ConfigFileVariable} at the right file.");
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = rest,
            ApplicationName = "OpsAgent.Agent",
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.Configuration
            .AddJsonFile(configFile, optional: true, reloadOnChange: false)
            .AddEnvironmentVariables("OPSAGENT_")
            .AddCommandLine(rest, SwitchMappings);

        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Services.AddSystemd();
        if (!SystemdHelpers.IsSystemdService() && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET")))
        {
            // AddSystemd() (version 10) recognises systemd only as the parent process, read from /proc/PPID/comm, which a
            // unit with ProtectProc=invisible and a non-root User= cannot read; a supervisor that is not the parent (a
            // container manager, the end-to-end tests) also passes NOTIFY_SOCKET. Either way a Type=notify unit would wait
            // for a READY=1 that never comes and be killed at TimeoutStartSec=. Version 11 does this itself.
            builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }

        builder.Services.AddWindowsService(o => o.ServiceName = "OpsAgent");

        builder.Services.AddOpsAgent(builder.Configuration, configFile);
        return builder;
    }

    public static IServiceCollection AddOpsAgent(this IServiceCollection services, IConfiguration configuration, string configFile)
    {
        services.AddOptions<AgentOptions>()
            .Bind(configuration.GetSection(AgentOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        services.AddSingleton(new AgentConfigurationSource(configFile));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AgentIdentity>();
        services.AddSingleton(sp => new SequenceAllocator(sp.GetRequiredService<IOptions<AgentOptions>>().Value.StateDirectory));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AgentOptions>>().Value.Outbox);
        services.AddSingleton(sp => new DiskOutbox(
            sp.GetRequiredService<IOptions<AgentOptions>>().Value.StateDirectory,
            sp.GetRequiredService<OutboxOptions>(),
            sp.GetRequiredService<SequenceAllocator>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DiskOutbox>>()));
        services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<OutboxOptions>().Storage == OutboxStorage.Memory
            ? new MemoryOutbox(sp.GetRequiredService<SequenceAllocator>(), sp.GetRequiredService<OutboxOptions>().MaxMemoryBytes, sp.GetRequiredService<ILogger<MemoryOutbox>>())
            : sp.GetRequiredService<DiskOutbox>());

        // First of the hosted services, so that it stops last: its final group commit follows the last enqueue and ack.
        services.AddHostedService<OutboxSyncService>();

        services.AddSingleton<SourceErrorCounter>();
        services.AddSingleton<UplinkStatistics>();
        services.AddCommands(configuration);
        services.AddOptions<HostMetricsOptions>()
            .Bind(configuration.GetSection(HostMetricsOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<HostMetricsOptions>, HostMetricsOptionsValidator>();
        if (configuration.GetSection(HostMetricsOptions.SectionName).GetValue(nameof(HostMetricsOptions.Enabled), defaultValue: true))
        {
            services.AddSingleton<IMetricSource>(sp => HostMetricSource.Create(
                sp.GetRequiredService<IOptions<HostMetricsOptions>>().Value,
                sp.GetRequiredService<TimeProvider>()));
        }

        services.AddSingleton<IMetricSource, AgentSelfMetricSource>();
        services.AddOptions<SyntheticOptions>()
            .Bind(configuration.GetSection(SyntheticOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SyntheticOptions>, SyntheticOptionsValidator>();
        IConfigurationSection synthetic = configuration.GetSection(SyntheticOptions.SectionName);
        if (synthetic.GetValue<int>(nameof(SyntheticOptions.Series)) > 0)
        {
            if (synthetic.GetValue<int>(nameof(SyntheticOptions.BatchesPerSecond)) > 0)
            {
                services.AddHostedService<SyntheticStreamService>();
            }
            else
            {
                services.AddSingleton<IMetricSource>(sp => new SyntheticMetricSource(sp.GetRequiredService<IOptions<SyntheticOptions>>().Value));
            }

            services.AddHostedService<SyntheticBackfillService>();
        }

        services.AddSingleton<FatalError>();
        services.AddSingleton<AgentCredentials>();
        services.AddSingleton<GatewayChannels>();
        services.AddSingleton<AgentEnrollment>();
        services.AddSingleton<PinnedCommandKeyProvider>();
        services.AddSingleton<ICommandKeyProvider>(sp => sp.GetRequiredService<PinnedCommandKeyProvider>());
        services.AddHostedService<CertificateRenewer>();

        services.AddHostedService<MetricCollectionService>();
        services.AddHostedService<UplinkService>();
        services.AddHostedService<StartupPageRelease>();
        return services;
    }

    private static (string Path, bool Explicit, string[] Remaining) ExtractConfigFile(string[] args)
    {
        var rest = new List<string>(args.Length);
        string? path = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length)
            {
                path = args[++i];
            }
            else if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                path = args[i]["--config=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        path ??= Environment.GetEnvironmentVariable(AgentPaths.ConfigFileVariable);
        return path is { Length: > 0 }
            ? (Path.GetFullPath(path), true, rest.ToArray())
            : (AgentPaths.DefaultConfigFile, false, rest.ToArray());
    }
}
