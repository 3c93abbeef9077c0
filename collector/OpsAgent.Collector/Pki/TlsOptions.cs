namespace OpsAgent.Collector.Pki;

/// <summary>
/// The collector's own TLS certificate (section <c>Collector:Tls</c>). The collector issues it from its CA, for the
/// addresses of its listeners plus 127.0.0.1, ::1, localhost and the machine name, and re-issues it by itself when
/// the names change or it comes within 30 days of expiry.
/// </summary>
internal sealed class TlsOptions
{
    public const string SectionName = "Collector:Tls";

    /// <summary>More DNS names or IP addresses agents and opsctl use to reach the collector (a load balancer, a DNS alias).</summary>
    public List<string> ExtraNames { get; set; } = [];

    /// <summary>Validity of the server certificate.</summary>
    public TimeSpan ServerCertificateLifetime { get; set; } = TimeSpan.FromDays(365);
}
