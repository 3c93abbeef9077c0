using System.Text.Json;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Configuration;

namespace OpsAgent.Collector.Endpoints;

/// <summary>
/// Once the listeners are bound, writes their real addresses to DATA_DIR/endpoints.json and logs them, so that
/// scripts, tests and `opsctl quickstart` can find a collector started on port 0.
/// </summary>
internal sealed partial class EndpointsFileWriter(
    IHostApplicationLifetime lifetime,
    CollectorListeners listeners,
    IOptions<CollectorOptions> options,
    ILogger<EndpointsFileWriter> logger) : IHostedService
{
    public const string FileName = "endpoints.json";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Write);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Write()
    {
        EndpointOptions configured = options.Value.Endpoints;
        var endpoints = new Dictionary<string, string?>
        {
            ["gateway"] = listeners.UrlOf(ListenerKind.Gateway, IsTls(configured.Gateway)),
            ["admin"] = listeners.UrlOf(ListenerKind.Admin, IsTls(configured.Admin)),
            ["metrics"] = listeners.UrlOf(ListenerKind.Metrics, IsTls(configured.Metrics)),
            ["pid"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        string path = Path.Combine(options.Value.DataDirectory, FileName);
        string temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(endpoints, EndpointsJsonContext.Default.DictionaryStringString));
        File.Move(temp, path, overwrite: true);
        LogListening(logger, endpoints["gateway"], endpoints["admin"], endpoints["metrics"], options.Value.DataDirectory);
    }

    private static bool IsTls(string url) => url.StartsWith("https:", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "Collector ready. Agent gateway: {Gateway}  Admin API: {Admin}  Metrics: {Metrics}/metrics  Data: {DataDirectory}")]
    private static partial void LogListening(ILogger logger, string? gateway, string? admin, string? metrics, string dataDirectory);
}
