using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Access;
using OpsAgent.Collector.Admin;
using OpsAgent.Collector.Commands;
using OpsAgent.Collector.Configuration;
using OpsAgent.Collector.Detection;
using OpsAgent.Collector.Endpoints;
using OpsAgent.Collector.Enrollment;
using OpsAgent.Collector.Gateway;
using OpsAgent.Collector.Ingest;
using OpsAgent.Collector.Notifications;
using OpsAgent.Collector.Observability;
using OpsAgent.Collector.Pki;
using OpsAgent.Collector.Playbooks;
using OpsAgent.Collector.Playbooks.Integration;
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

            // An agent needs one stream (plus a renewal now and then), opsctl a few: a peer opening hundreds is not a client.
            kestrel.Limits.Http2.MaxStreamsPerConnection = 32;
            // Find dead peers (a host that lost power, a NAT that dropped the flow) without waiting for TCP.
            kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
            kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(30);
            ConfigureListener(kestrel, listeners, ListenerKind.Gateway, options.Endpoints.Gateway);
            ConfigureListener(kestrel, listeners, ListenerKind.Admin, options.Endpoints.Admin);
            ConfigureListener(kestrel, listeners, ListenerKind.Metrics, options.Endpoints.Metrics);
        });

        WebApplication app = builder.Build();
        app.UseMiddleware<ListenerRoutingMiddleware>();
        app.UseMiddleware<UnaryRequestValidationMiddleware>();
        app.MapGrpcService<AgentGatewayService>();
        app.MapGrpcService<AdminService>();
        app.MapGrpcService<AccessService>();
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
        services.AddHostedService<GatewayShutdown>();
        services.AddSingleton<BatchValidator>();
        services.AddSingleton<IngestBudget>();
        services.AddDetection(configuration); // before the store: detection stops after the store's last batches
        services.AddTelemetryStore(configuration);
        services.AddHostedService<EndpointsFileWriter>();
        services.AddIdentityAndAccess(configuration);

        // Self-healing: playbooks, webhooks, the command dispatcher, and what connects them to detection and incidents.
        services.AddPlaybooks(configuration);
        services.AddNotifications(configuration);
        services.AddCommands(configuration);
        services.AddPlaybookIntegration();

        var ingest = new IngestOptions();
        configuration.GetSection(IngestOptions.SectionName).Bind(ingest);
        services.AddGrpc(o =>
        {
            // Every call passes the access table first (Access/MethodAccess.cs): authentication, roles, audit.
            o.Interceptors.Add<AccessInterceptor>();
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

    /// <summary>
    /// Keys, enrolment, API tokens, the access interceptor and the audit log. The keys are loaded (or created) by
    /// Program before the listeners open, so that a damaged key stops the collector with a clear message.
    /// </summary>
    public static IServiceCollection AddIdentityAndAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TlsOptions>().Bind(configuration.GetSection(TlsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TlsOptions>, TlsOptionsValidator>();
        services.AddOptions<AccessOptions>().Bind(configuration.GetSection(AccessOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>();
        services.AddOptions<EnrollmentOptions>().Bind(configuration.GetSection(EnrollmentOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EnrollmentOptions>, EnrollmentOptionsValidator>();
        foreach (SchemaMigration migration in AccessSchema.Migrations.Concat(EnrollmentSchema.Migrations))
        {
            services.AddSingleton(migration);
        }

        services.AddSingleton<CollectorPki>();
        services.AddSingleton<ICommandSigner>(sp =>
        {
            CollectorPki pki = sp.GetRequiredService<CollectorPki>();
            pki.EnsureLoaded();
            return pki.CommandSigner;
        });
        services.AddSingleton<SecurityMetrics>();
        services.AddSingleton<ApiTokenStore>();
        services.AddSingleton<EnrollmentTokenStore>();
        services.AddSingleton<AgentCertificateStore>();
        services.AddSingleton<AgentAuthenticator>();
        services.AddSingleton<EnrollmentService>();
        services.AddSingleton<AgentThrottle>();
        services.AddSingleton<AccessInterceptor>();
        services.AddSingleton<AuditLog>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditLog>());
        services.AddSingleton<BootstrapAdmin>();
        services.AddHostedService(sp => sp.GetRequiredService<BootstrapAdmin>());
        return services;
    }

    private static void ConfigureListener(KestrelServerOptions kestrel, CollectorListeners listeners, ListenerKind kind, string url)
    {
        // Invalid addresses are reported by CollectorOptionsValidator with every other problem; skip them here.
        if (ListenAddress.TryParse(url, out ListenAddress? address, out _))
        {
            // The keys are resolved at each handshake, not here: Kestrel is configured while the host is built, before
            // Program has validated the configuration and loaded the keys.
            listeners.Configure(kestrel, kind, address, listen => UseTls(listen, () => kestrel.ApplicationServices.GetRequiredService<CollectorPki>(), kind));
        }
    }

    private static void UseTls(ListenOptions listen, Func<CollectorPki> pki, ListenerKind kind)
    {
        List<SslApplicationProtocol> protocols = kind == ListenerKind.Metrics
            ? [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]
            : [SslApplicationProtocol.Http2];
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            HandshakeTimeout = TimeSpan.FromSeconds(10),
            OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = pki().ServerCertificate(),
                ApplicationProtocols = protocols,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                // Agents present their certificate on the gateway (Enroll comes without one). The handshake accepts any
                // or none: the access interceptor judges it, so that a bad certificate gets a gRPC status saying what is
                // wrong, and an audit entry, instead of a failed handshake.
                ClientCertificateRequired = kind == ListenerKind.Gateway,
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            }),
        });
    }

    private static IResult WriteMetrics(
        CollectorMetrics metrics, ITelemetryStore store, StoreCounters counters, ConnectionRegistry connections, SecurityMetrics security, DetectionMetrics detection,
        IngestBudget budget, PlaybookCounters playbooks, NotificationCounters notifications, CommandCounters commands)
    {
        var writer = new PrometheusTextWriter();
        metrics.WriteTo(writer);
        security.WriteTo(writer);
        writer.Header("opsagent_collector_pending_bytes", "gauge", "Serialized bytes of batches read and not yet acknowledged, across all streams.");
        writer.Sample("opsagent_collector_pending_bytes", budget.Used);
        writer.Header("opsagent_collector_pending_waits_total", "counter", "Times a stream stopped reading because Collector:Ingest:MaxPendingBytes was reached.");
        writer.Sample("opsagent_collector_pending_waits_total", budget.Waits);
        StoreMetricsExporter.WriteTo(writer, store, counters, connections);
        detection.WriteTo(writer);
        playbooks.WriteTo(writer);
        notifications.WriteTo(writer);
        commands.WriteTo(writer);
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
