using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Configuration;
using OpsAgent.Collector.Endpoints;
using OpsAgent.Collector.Pki;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Access;

/// <summary>
/// The first admin credential. When no admin API token works (a new collector, or every admin token revoked or
/// expired), the collector creates one named "bootstrap" and writes DATA_DIR/admin.json (mode 0600): an opsctl
/// configuration file with the admin API's address, the CA to trust and the token, like kubeadm's admin.conf.
/// On the collector's host: <c>OPSCTL_CONFIG=/var/lib/opsagent-collector/admin.json opsctl agents</c>, or copy it to
/// ~/.config/opsagent/opsctl.json. Whoever can read the collector's data directory can read its CA key anyway, so the
/// file gives away nothing that was not already theirs. A lost token is replaced with <c>OpsAgent.Collector
/// bootstrap-admin</c> run as the collector's user.
/// </summary>
internal sealed partial class BootstrapAdmin(
    IHostApplicationLifetime lifetime,
    CollectorListeners listeners,
    ApiTokenStore tokens,
    CollectorPki pki,
    IOptions<CollectorOptions> collector,
    IOptions<AccessOptions> access,
    ILogger<BootstrapAdmin> logger) : IHostedService
{
    public const string FileName = "admin.json";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!collector.Value.Insecure && access.Value.WriteBootstrapAdmin)
        {
            lifetime.ApplicationStarted.Register(() =>
            {
                if (!tokens.AnyActiveAdmin())
                {
                    Write(listeners.UrlOf(ListenerKind.Admin, tls: true) ?? collector.Value.Endpoints.Admin, "no admin API token works yet");
                }
            });
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates a new admin token and writes it, with the address and the CA, to DATA_DIR/admin.json; returns the path.</summary>
    public string Write(string adminUrl, string why)
    {
        string path = Path.Combine(collector.Value.DataDirectory, FileName);
        string id = TokenSecrets.NewId();
        string secret = TokenSecrets.NewSecret();

        // The file first: a crash before the token is stored leaves a file that does not work, and the next start,
        // finding no admin token, writes a new one. The other order could leave a token nobody has.
        SecureFiles.WriteAllText(path, Render(adminUrl, TokenSecrets.FormatApiToken(id, secret), pki.Authority.CertificatePem));
        tokens.Create("bootstrap", Role.Admin, lifetime: null, createdBy: "bootstrap", id, secret);
        LogWritten(logger, path, why, id);
        return path;
    }

    private static string Render(string adminUrl, string token, string caPem)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("collector", adminUrl);
            json.WriteString("token", token);
            json.WriteString("caCertificate", caPem);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    [LoggerMessage(EventId = 2321, Level = LogLevel.Warning,
        Message = "Wrote an admin API credential to {Path} because {Why} (token {TokenId}, role admin). Use it with: OPSCTL_CONFIG={Path} opsctl api-tokens create NAME --role admin; then revoke it: opsctl api-tokens revoke {TokenId}.")]
    private static partial void LogWritten(ILogger logger, string path, string why, string tokenId);
}
