using System.Text.Json;
using Grpc.Net.Client;
using OpsAgent.Protocol;

namespace OpsAgent.EndToEnd.Tests.Infrastructure;

/// <summary>The real collector process with its own data directory, on loopback.</summary>
internal sealed class CollectorProcess : IAsyncDisposable
{
    private readonly List<string> _extraArgs;
    private readonly Dictionary<string, string> _environment;
    private GrpcChannel? _adminChannel;
    private GrpcChannel? _gatewayChannel;

    private CollectorProcess(string dataDirectory, int gatewayPort, int adminPort, int metricsPort, List<string> extraArgs, Dictionary<string, string> environment)
    {
        DataDirectory = dataDirectory;
        GatewayPort = gatewayPort;
        AdminPort = adminPort;
        MetricsPort = metricsPort;
        _extraArgs = extraArgs;
        _environment = environment;
    }

    public string DataDirectory { get; }

    public int GatewayPort { get; private set; }

    public int AdminPort { get; private set; }

    public int MetricsPort { get; private set; }

    public ManagedProcess? Process { get; private set; }

    public string GatewayUrl => $"http://127.0.0.1:{GatewayPort}";

    public string AdminUrl => $"http://127.0.0.1:{AdminPort}";

    public string MetricsUrl => $"http://127.0.0.1:{MetricsPort}";

    public Admin.AdminClient Admin => new(_adminChannel ??= GrpcChannel.ForAddress(AdminUrl));

    public AgentGateway.AgentGatewayClient Gateway => new(_gatewayChannel ??= GrpcChannel.ForAddress(GatewayUrl));

    /// <summary>Starts a collector. With <paramref name="fixedPorts"/> it can be restarted on the same addresses.</summary>
    public static async Task<CollectorProcess> StartAsync(
        string dataDirectory,
        bool fixedPorts = false,
        IEnumerable<string>? extraArgs = null,
        IDictionary<string, string>? environment = null)
    {
        var collector = new CollectorProcess(
            dataDirectory,
            fixedPorts ? FreePorts.Next() : 0,
            fixedPorts ? FreePorts.Next() : 0,
            fixedPorts ? FreePorts.Next() : 0,
            [.. extraArgs ?? []],
            new Dictionary<string, string>(environment ?? new Dictionary<string, string>()));
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
            "--gateway", $"http://127.0.0.1:{GatewayPort}",
            "--admin", $"http://127.0.0.1:{AdminPort}",
            "--metrics", $"http://127.0.0.1:{MetricsPort}",
        };
        args.AddRange(_extraArgs);
        Process = ManagedProcess.Start("collector", Binaries.Collector, args, _environment);

        Dictionary<string, string> endpoints = await Eventually.GetAsync(
            async () =>
            {
                if (Process.HasExited)
                {
                    throw new InvalidOperationException($"the collector exited with code {await Process.Exited.ConfigureAwait(false)}:\n{Process.Output}");
                }

                if (!File.Exists(endpointsFile))
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
        _adminChannel?.Dispose();
        _gatewayChannel?.Dispose();
        _adminChannel = null;
        _gatewayChannel = null;
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
        _adminChannel?.Dispose();
        _gatewayChannel?.Dispose();
        if (Process is not null)
        {
            await Process.DisposeAsync().ConfigureAwait(false);
        }
    }
}
