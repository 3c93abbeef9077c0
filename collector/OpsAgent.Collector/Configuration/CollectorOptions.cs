namespace OpsAgent.Collector.Configuration;

/// <summary>
/// The collector's settings: section <c>Collector</c> of /etc/opsagent/collector.json (Windows:
/// %ProgramData%\OpsAgent\collector.json), environment variables (<c>OPSAGENT_Collector__DataDirectory</c>) and the
/// command line (<c>--Collector:DataDirectory=...</c>, or the short switches of <see cref="CollectorHost"/>).
/// </summary>
internal sealed class CollectorOptions
{
    public const string SectionName = "Collector";

    /// <summary>Where the embedded store and the collector's keys live.</summary>
    public string DataDirectory { get; set; } = CollectorPaths.DefaultDataDirectory;

    public EndpointOptions Endpoints { get; set; } = new();

    /// <summary>
    /// Plain HTTP/2 without TLS, agent certificates or API tokens: for tests and development on one machine only.
    /// Refused at start-up unless the gateway and admin listeners are on a loopback address.
    /// </summary>
    public bool Insecure { get; set; }
}

/// <summary>
/// The three listeners. The agent gateway and the admin API are separate so that a firewall can expose one to the fleet
/// and the other to admins only; /metrics and /healthz are plain HTTP/1.1 for Prometheus and load balancers.
/// Port 0 picks a free port (tests); the bound addresses are written to <c>DATA_DIR/endpoints.json</c>.
/// </summary>
internal sealed class EndpointOptions
{
    public string Gateway { get; set; } = "https://127.0.0.1:7400";

    public string Admin { get; set; } = "https://127.0.0.1:7401";

    public string Metrics { get; set; } = "http://127.0.0.1:7402";
}
