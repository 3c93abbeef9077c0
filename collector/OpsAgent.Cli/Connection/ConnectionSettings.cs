namespace OpsAgent.Cli.Connection;

/// <summary>How to reach the collector's admin API for one command.</summary>
/// <param name="Collector">The admin endpoint: http:// for plain HTTP/2 (h2c), https:// for TLS.</param>
/// <param name="CollectorSource">Where <paramref name="Collector"/> came from ("--collector", "OPSAGENT_COLLECTOR",
/// "default"), named in errors so that a stale environment variable is easy to spot at 3 a.m.</param>
/// <param name="Token">The bearer API token sent with every call, or null for none.</param>
/// <param name="Timeout">How long a command may wait for the collector (connect and answer together).</param>
internal sealed record ConnectionSettings(Uri Collector, string CollectorSource, string? Token, TimeSpan Timeout)
{
    // Issue 4 (identity and access) adds TLS options here: a CA bundle to trust and a client certificate.
    // GrpcCollectorChannelFactory.CreateHandler is where they are applied.

    /// <summary>The URL as the user wrote it, without a trailing slash, for messages.</summary>
    public string DisplayUrl => Collector.GetLeftPart(UriPartial.Path).TrimEnd('/');
}
