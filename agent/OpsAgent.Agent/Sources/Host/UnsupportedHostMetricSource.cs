namespace OpsAgent.Agent.Sources.Host;

/// <summary>Stands in on operating systems without a host source (macOS, FreeBSD): says so once, emits nothing.</summary>
/// <remarks>So that an agent built for development on such a machine still runs its other sources.</remarks>
internal sealed class UnsupportedHostMetricSource : IMetricSource
{
    private readonly string _os;
    private bool _reported;

    public UnsupportedHostMetricSource(string os)
    {
        _os = os;
    }

    public string Name => "unsupported.host";

    public void Collect(MetricBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (!_reported)
        {
            _reported = true;
            buffer.ReportError(Name, $"host metrics are collected on Linux and Windows only; this agent runs on {_os} and sends none.");
        }
    }
}
