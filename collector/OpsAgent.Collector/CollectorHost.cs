using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Admin;
using OpsAgent.Collector.Configuration;
using OpsAgent.Collector.Endpoints;
using OpsAgent.Collector.Gateway;
using OpsAgent.Collector.Ingest;
using OpsAgent.Collector.Observability;
using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector;

/// <summary>Builds the collector: configuration, listeners, services and the HTTP pipeline.</summary>
internal static class CollectorHost
{
    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--data-dir"] = "Collector:DataDirectory",
        ["--gateway"] = "Collector:Endpoints:Gateway",
        ["--admin"] = "Collector:Endpoints:Admin",
        ["--metrics"] = "Collector:Endpoints:Metrics",
    };

    public static WebApplication Build(string[] args)
    {
        (string configFile, bool explicitConfig, string[] remaining) = ExtractConfigFile(args);
        if (explicitConfig && !File.Exists(configFile))
        {
            throw new CollectorConfigurationException(
                $"The configuration file {configFile} does not exist. Create it (see install/linux/collector.json for an example) or point --config / {CollectorPaths.ConfigFileVariable} at the right file.");
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = remaining,
            ApplicationName = "OpsAgent.Collector",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration
            .AddJsonFile(configFile, optional: true, reloadOnChange: false)
            .AddEnvironmentVariables("OPSAGENT_")
            .AddCommandLine(remaining, SwitchMappings);

        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
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

        builder.Services.AddWindowsService(o => o.ServiceName = "OpsAgentCollector");

        builder.Services.AddCollector(builder.Configuration, configFile);

        var listeners = new CollectorListeners();
        builder.Services.AddSingleton(listeners);
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var options = new CollectorOptions();
            context.Configuration.GetSection(CollectorOptions.SectionName).Bind(options);
            ConfigureListener(kestrel, listeners, ListenerKind.Gateway, options.Endpoints.Gateway);
            ConfigureListener(kestrel, listeners, ListenerKind.Admin, options.Endpoints.Admin);
            ConfigureListener(kestrel, listeners, ListenerKind.Metrics, options.Endpoints.Metrics);
        });

        WebApplication app = builder.Build();
        app.UseMiddleware<ListenerRoutingMiddleware>();
        app.MapGrpcService<AgentGatewayService>();
        app.MapGrpcService<AdminService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapGet("/metrics", WriteMetrics);
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        return app;
    }

    public static IServiceCollection AddCollector(this IServiceCollection services, IConfiguration configuration, string configFile)
    {
        services.AddOptions<CollectorOptions>().Bind(configuration.GetSection(CollectorOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CollectorOptions>, CollectorOptionsValidator>();
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>();
        services.AddSingleton(new CollectorConfigurationSource(configFile));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<CollectorMetrics>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<BatchValidator>();
        services.AddSingleton<IngestBudget>();
        services.AddTelemetryStore(configuration);
        services.AddHostedService<EndpointsFileWriter>();

        var ingest = new IngestOptions();
        configuration.GetSection(IngestOptions.SectionName).Bind(ingest);
        services.AddGrpc(o =>
        {
            // A hard ceiling well above the per-batch limit: batches between the two get a clear per-batch rejection in
            // the ack; anything larger ends the stream with RESOURCE_EXHAUSTED before it is buffered.
            o.MaxReceiveMessageSize = (2 * ingest.MaxBatchBytes) + (64 * 1024);
            o.MaxSendMessageSize = 16 * 1024 * 1024;
            o.EnableDetailedErrors = false;
        });
        services.AddGrpcHealthChecks();
        services.AddGrpcReflection();
        return services;
    }

    private static void ConfigureListener(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, CollectorListeners listeners, ListenerKind kind, string url)
    {
        // Invalid addresses are reported by CollectorOptionsValidator with every other problem; skip them here.
        if (ListenAddress.TryParse(url, out ListenAddress? address, out _))
        {
            listeners.Configure(kestrel, kind, address, configureTls: null);
        }
    }

    private static IResult WriteMetrics(CollectorMetrics metrics, ITelemetryStore store, StoreCounters counters, ConnectionRegistry connections, IngestBudget budget)
    {
        var writer = new PrometheusTextWriter();
        metrics.WriteTo(writer);
        writer.Header("opsagent_collector_pending_bytes", "gauge", "Serialized bytes of batches read and not yet acknowledged, across all streams.");
        writer.Sample("opsagent_collector_pending_bytes", budget.Used);
        writer.Header("opsagent_collector_pending_waits_total", "counter", "Times a stream stopped reading because Collector:Ingest:MaxPendingBytes was reached.");
        writer.Sample("opsagent_collector_pending_waits_total", budget.Waits);
        StoreMetricsExporter.WriteTo(writer, store, counters, connections);
        return Results.Text(writer.ToString(), "text/plain; version=0.0.4; charset=utf-8");
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

        path ??= Environment.GetEnvironmentVariable(CollectorPaths.ConfigFileVariable);
        return path is { Length: > 0 }
            ? (Path.GetFullPath(path), true, rest.ToArray())
            : (CollectorPaths.DefaultConfigFile, false, rest.ToArray());
    }
}
