namespace OpsAgent.Cli.Connection;

/// <summary>How to reach the collector's admin API for one command.</summary>
/// <param name="Collector">The admin endpoint: http:// for plain HTTP/2 (h2c), https:// for TLS.</param>
/// <param name="CollectorSource">Where <paramref name="Collector"/> came from ("--collector", "OPSAGENT_COLLECTOR",
/// "config file PATH", "default"), named in errors so that a stale setting is easy to spot at 3 a.m.</param>
/// <param name="Token">The bearer API token sent with every call, or null for none.</param>
/// <param name="Timeout">How long a command may wait for the collector (connect and answer together).</param>
internal sealed record ConnectionSettings(Uri Collector, string CollectorSource, string? Token, TimeSpan Timeout)
{
    /// <summary>Where <see cref="Token"/> came from ("--token", "OPSAGENT_TOKEN", "config file PATH").</summary>
    public string? TokenSource { get; init; }

    /// <summary>PEM of the CA(s) to trust for https://, instead of the machine's trust store; null for the machine's.</summary>
    public string? CaCertificatePem { get; init; }

    /// <summary>Where <see cref="CaCertificatePem"/> came from, for errors.</summary>
    public string? CaSource { get; init; }

    /// <summary>Things the user should know (a config file others can read), printed before the command runs.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The URL as the user wrote it, without a trailing slash, for messages.</summary>
    public string DisplayUrl => Collector.GetLeftPart(UriPartial.Path).TrimEnd('/');
}
