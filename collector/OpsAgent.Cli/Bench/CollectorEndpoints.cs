using System.Text.Json;

namespace OpsAgent.Cli.Bench;

/// <summary>
/// Where the benchmark sends (the agent gateway) and where it reads the collector's process figures (/metrics), and how
/// each was found: the command line, the collector's DATA_DIR/endpoints.json when it is on this machine, or the default
/// ports on the admin URL's host.
/// </summary>
internal sealed record CollectorEndpoints(Uri Gateway, string GatewaySource, Uri Metrics, string MetricsSource)
{
    public const int DefaultGatewayPort = 7400;
    public const int DefaultMetricsPort = 7402;

    public static CollectorEndpoints Resolve(Uri admin, Uri? gateway, Uri? metrics, string dataDirectory)
    {
        Dictionary<string, string>? file = ReadEndpointsFile(admin, dataDirectory);
        string filePath = Path.Combine(dataDirectory, "endpoints.json");
        (Uri gatewayUrl, string gatewaySource) = gateway is not null ? (gateway, "--gateway")
            : file?.GetValueOrDefault("gateway") is { } g ? (OnAdminHost(new Uri(g), admin), filePath)
            : (new UriBuilder(admin) { Port = DefaultGatewayPort, Path = "" }.Uri, $"default port {DefaultGatewayPort} on the admin host");
        (Uri metricsUrl, string metricsSource) = metrics is not null ? (metrics, "--metrics")
            : file?.GetValueOrDefault("metrics") is { } m ? (OnAdminHost(new Uri(m), admin), filePath)
            : (new UriBuilder(admin) { Scheme = Uri.UriSchemeHttp, Port = DefaultMetricsPort, Path = "" }.Uri, $"default port {DefaultMetricsPort} on the admin host");
        return new CollectorEndpoints(gatewayUrl, gatewaySource, metricsUrl, metricsSource);
    }

    /// <summary>The collector's own list of its addresses, if it is readable here and belongs to the collector at <paramref name="admin"/>.</summary>
    private static Dictionary<string, string>? ReadEndpointsFile(Uri admin, string dataDirectory)
    {
        if (string.IsNullOrEmpty(dataDirectory))
        {
            return null;
        }

        try
        {
            string path = Path.Combine(dataDirectory, "endpoints.json");
            if (!File.Exists(path))
            {
                return null;
            }

            Dictionary<string, string>? endpoints = JsonSerializer.Deserialize(File.ReadAllText(path), BenchJsonContext.Default.DictionaryStringString);
            return endpoints?.GetValueOrDefault("admin") is { } listed && Uri.TryCreate(listed, UriKind.Absolute, out Uri? listedAdmin) && listedAdmin.Port == admin.Port
                ? endpoints
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>A listener bound to every address (0.0.0.0, [::]) is reached on the host the admin URL names.</summary>
    private static Uri OnAdminHost(Uri listed, Uri admin) =>
        listed.Host is "0.0.0.0" or "[::]" or "::" ? new UriBuilder(listed) { Host = admin.Host }.Uri : listed;
}
