namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>Seconds since boot (system.uptime) from /proc/uptime.</summary>
internal sealed class UptimeCollector : IHostCollector
{
    private readonly string _path;
    private readonly ProcFileReader _reader;

    public UptimeCollector(string procRoot, ProcFileReader reader)
    {
        _path = Path.Combine(procRoot, "uptime");
        _reader = reader;
    }

    public string Subsystem => "uptime";

    public void Collect(MetricBuffer buffer)
    {
        if (!UptimeParser.TryParse(_reader.ReadAll(_path), out double seconds))
        {
            throw new InvalidDataException($"{_path} is not in the expected form \"3763.62 7267.00\".");
        }

        buffer.Gauge(HostMetricNames.Uptime, HostMetricNames.UnitSeconds, seconds);
    }
}
