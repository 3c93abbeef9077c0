namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>Load averages (system.cpu.load_average.*) from /proc/loadavg.</summary>
internal sealed class LoadAverageCollector : IHostCollector
{
    private readonly string _path;
    private readonly ProcFileReader _reader;

    public LoadAverageCollector(string procRoot, ProcFileReader reader)
    {
        _path = Path.Combine(procRoot, "loadavg");
        _reader = reader;
    }

    public string Subsystem => "load";

    public void Collect(MetricBuffer buffer)
    {
        if (!LoadAvgParser.TryParse(_reader.ReadAll(_path), out LoadAverage load))
        {
            throw new InvalidDataException($"{_path} is not in the expected form \"0.16 0.68 0.40 1/86 6082\".");
        }

        buffer.Gauge(HostMetricNames.LoadAverage1m, HostMetricNames.UnitThread, load.OneMinute);
        buffer.Gauge(HostMetricNames.LoadAverage5m, HostMetricNames.UnitThread, load.FiveMinutes);
        buffer.Gauge(HostMetricNames.LoadAverage15m, HostMetricNames.UnitThread, load.FifteenMinutes);
    }
}
