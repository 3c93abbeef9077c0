using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using OpsAgent.Protocol;

namespace OpsAgent.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real collector process with its own data directory, on loopback. By default it runs in insecure mode
/// (<c>Collector:Insecure=true</c>: plain HTTP/2, agents named by their Hello, no API tokens), which is what the tests
/// of other features need. With <c>secure: true</c> it runs as in production: TLS, enrolment, mutual TLS, API tokens;
/// <see cref="Admin"/>, <see cref="Access"/> and <see cref="OpsctlEnvironment"/> then carry the bootstrap admin token
/// and trust the collector's CA, and <see cref="AgentProcess.StartAsync"/> enrols agents with a fresh token.
/// </summary>
internal sealed class CollectorProcess : IAsyncDisposable
{
    private readonly List<string> _extraArgs;
    private readonly Dictionary<string, string> _environment;
    private readonly List<GrpcChannel> _channels = [];
    private GrpcChannel? _adminChannel;
    private GrpcChannel? _gatewayChannel;

    private CollectorProcess(
        string dataDirectory, int gatewayPort, int adminPort, int metricsPort, List<string> extraArgs, Dictionary<string, string> environment, bool secure)
    {
        DataDirectory = dataDirectory;
        GatewayPort = gatewayPort;
        AdminPort = adminPort;
        MetricsPort = metricsPort;
        _extraArgs = extraArgs;
        _environment = environment;
        Secure = secure;
    }

    public string DataDirectory { get; }

    public int GatewayPort { get; private set; }

    public int AdminPort { get; private set; }

    public int MetricsPort { get; private set; }

    public ManagedProcess? Process { get; private set; }

    /// <summary>True: TLS, enrolment and API tokens; false: insecure mode on loopback.</summary>
    public bool Secure { get; }

    /// <summary>The bootstrap admin token from DATA_DIR/admin.json (secure mode only).</summary>
    public string? AdminToken { get; private set; }

    /// <summary>The collector's CA certificate, PEM (secure mode only).</summary>
    public string? CaCertificatePem { get; private set; }

    /// <summary>DATA_DIR/pki/ca.crt: what opsctl --ca / OPSAGENT_CA point at.</summary>
    public string CaFile => Path.Combine(DataDirectory, "pki", "ca.crt");

    public string GatewayUrl => $"{Scheme}://127.0.0.1:{GatewayPort}";

    public string AdminUrl => $"{Scheme}://127.0.0.1:{AdminPort}";

    public string MetricsUrl => $"http://127.0.0.1:{MetricsPort}";

    /// <summary>An Admin client; in secure mode with the admin token over TLS.</summary>
    public Admin.AdminClient Admin => new(AdminCallInvoker(AdminToken));

    /// <summary>An Access client (tokens, revocation, audit); in secure mode with the admin token over TLS.</summary>
    public Access.AccessClient Access => new(AdminCallInvoker(AdminToken));

    /// <summary>A gateway client without a client certificate (enough for insecure mode, Enroll and the CA).</summary>
    public AgentGateway.AgentGatewayClient Gateway => new(_gatewayChannel ??= CreateChannel(GatewayUrl, clientCertificate: null));

    private string Scheme => Secure ? "https" : "http";

    /// <summary>Starts a collector. With <paramref name="fixedPorts"/> it can be restarted on the same addresses.</summary>
    public static async Task<CollectorProcess> StartAsync(
        string dataDirectory,
        bool fixedPorts = false,
        IEnumerable<string>? extraArgs = null,
        IDictionary<string, string>? environment = null,
        bool secure = false)
    {
        var collector = new CollectorProcess(
            dataDirectory,
            fixedPorts ? FreePorts.Next() : 0,
            fixedPorts ? FreePorts.Next() : 0,
            fixedPorts ? FreePorts.Next() : 0,
            [.. extraArgs ?? []],
            new Dictionary<string, string>(environment ?? new Dictionary<string, string>()),
            secure);
        await collector.StartProcessAsync().ConfigureAwait(false);
        return collector;
    }

    public async Task StartProcessAsync()
    {
        string endpointsFile = Path.Combine(DataDirectory, "endpoints.json");
        File.Delete(endpointsFile);
        var args = new List<string>
        {
            "--data-dir", DataDirectory,
            "--gateway", $"{Scheme}://127.0.0.1:{GatewayPort}",
            "--admin", $"{Scheme}://127.0.0.1:{AdminPort}",
            "--metrics", $"http://127.0.0.1:{MetricsPort}",
        };
        if (!Secure)
        {
            args.Add("--Collector:Insecure=true");
        }

        args.AddRange(_extraArgs);
        Process = ManagedProcess.Start("collector", Binaries.Collector, args, _environment);

        Dictionary<string, string> endpoints = await Eventually.GetAsync(
            async () =>
            {
                if (Process.HasExited)
                {
                    throw new InvalidOperationException($"the collector exited with code {await Process.Exited.ConfigureAwait(false)}:\n{Process.Output}");
                }

                if (!File.Exists(endpointsFile) || (Secure && !File.Exists(Path.Combine(DataDirectory, "admin.json"))))
                {
                    return null;
                }

                var parsed = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(endpointsFile).ConfigureAwait(false));
                return parsed is not null && parsed.GetValueOrDefault("pid") == Process.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) ? parsed : null;
            },
            TimeSpan.FromSeconds(60),
            "the collector to start",
            () => Process.Output).ConfigureAwait(false);

        GatewayPort = new Uri(endpoints["gateway"]).Port;
        AdminPort = new Uri(endpoints["admin"]).Port;
        MetricsPort = new Uri(endpoints["metrics"]).Port;
        if (Secure)
        {
            using JsonDocument admin = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(DataDirectory, "admin.json")).ConfigureAwait(false));
            AdminToken = admin.RootElement.GetProperty("token").GetString();
            CaCertificatePem = admin.RootElement.GetProperty("caCertificate").GetString();
        }

        DisposeChannels();
    }

    /// <summary>An Admin client presenting <paramref name="token"/> (null: none).</summary>
    public Admin.AdminClient AdminWith(string? token) => new(AdminCallInvoker(token));

    /// <summary>An Access client presenting <paramref name="token"/> (null: none).</summary>
    public Access.AccessClient AccessWith(string? token) => new(AdminCallInvoker(token));

    /// <summary>A gateway client presenting <paramref name="clientCertificate"/> (with its key) over mutual TLS.</summary>
    public AgentGateway.AgentGatewayClient GatewayWith(X509Certificate2 clientCertificate) =>
        new(CreateChannel(GatewayUrl, clientCertificate));

    /// <summary>A single-use enrolment token (secure mode), as `opsctl tokens create` makes one.</summary>
    public async Task<string> CreateEnrollmentTokenAsync(IDictionary<string, string>? labels = null, TimeSpan? lifetime = null)
    {
        var request = new CreateEnrollmentTokenRequest { TtlSeconds = (long)(lifetime ?? TimeSpan.FromMinutes(10)).TotalSeconds, Description = "e2e" };
        request.Labels.Add(labels ?? new Dictionary<string, string>());
        CreateEnrollmentTokenResponse created = await Access.CreateEnrollmentTokenAsync(
            request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: TestContext.Current.CancellationToken).ConfigureAwait(false);
        return created.Secret;
    }

    /// <summary>What opsctl needs in its environment to reach this collector as its admin.</summary>
    public Dictionary<string, string> OpsctlEnvironment()
    {
        var environment = new Dictionary<string, string> { ["OPSAGENT_COLLECTOR"] = AdminUrl };
        if (Secure)
        {
            environment["OPSAGENT_TOKEN"] = AdminToken!;
            environment["OPSAGENT_CA"] = CaFile;
        }

        return environment;
    }

    public async Task<string> GetMetricsTextAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri(MetricsUrl + "/metrics")).ConfigureAwait(false);
    }

    public async Task KillAsync()
    {
        if (Process is not null)
        {
            await Process.KillAsync().ConfigureAwait(false);
        }
    }

    public async Task<int> StopAsync() => Process is null ? 0 : await Process.StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        DisposeChannels();
        if (Process is not null)
        {
            await Process.DisposeAsync().ConfigureAwait(false);
        }
    }

    private CallInvoker AdminCallInvoker(string? token)
    {
        CallInvoker invoker = (_adminChannel ??= CreateChannel(AdminUrl, clientCertificate: null)).CreateCallInvoker();
        return token is null
            ? invoker
            : invoker.Intercept(metadata =>
            {
                metadata.Add("authorization", "Bearer " + token);
                return metadata;
            });
    }

    private GrpcChannel CreateChannel(string url, X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler();
        if (Secure)
        {
            X509Certificate2Collection trusted = [];
            trusted.ImportFromPem(CaCertificatePem!);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                {
                    if (presented is null)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
                    return chain.Build(certificate);
                },
            };
        }

        var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        _channels.Add(channel);
        return channel;
    }

    private void DisposeChannels()
    {
        foreach (GrpcChannel channel in _channels)
        {
            channel.Dispose();
        }

        _channels.Clear();
        _adminChannel = null;
        _gatewayChannel = null;
    }
}
