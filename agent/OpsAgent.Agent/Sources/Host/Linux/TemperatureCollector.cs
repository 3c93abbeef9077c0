namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>Temperatures (hw.temperature) from thermal zones and hwmon chips; see <see cref="TemperatureSensorDiscovery"/>.</summary>
internal sealed class TemperatureCollector : IHostCollector
{
    // Sensors appear with hot-plugged devices (an NVMe drive, a USB adapter) and rarely otherwise.
    private static readonly TimeSpan RediscoveryPeriod = TimeSpan.FromMinutes(10);

    private readonly string _sysRoot;
    private readonly ProcFileReader _reader;
    private readonly TimeProvider _time;
    private readonly HashSet<string> _failing = new(StringComparer.Ordinal);
    private List<TemperatureSensor> _sensors = [];
    private long _discoveredAt;
    private bool _discovered;

    public TemperatureCollector(string sysRoot, ProcFileReader reader, TimeProvider time)
    {
        _sysRoot = sysRoot;
        _reader = reader;
        _time = time;
    }

    public string Subsystem => "temperatures";

    public void Collect(MetricBuffer buffer)
    {
        if (!_discovered || _time.GetElapsedTime(_discoveredAt) >= RediscoveryPeriod)
        {
            _sensors = TemperatureSensorDiscovery.Discover(_sysRoot, _reader);
            _discoveredAt = _time.GetTimestamp();
            _discovered = true;
            _failing.Clear();
        }

        foreach (TemperatureSensor sensor in _sensors)
        {
            if (TryRead(sensor, out double celsius, out Exception? error))
            {
                _failing.Remove(sensor.InputPath);
                buffer.Gauge(HostMetricNames.Temperature, HostMetricNames.UnitCelsius, celsius, sensor.Labels);
            }
            else if (_failing.Add(sensor.InputPath))
            {
                // Some sensors fail while their device sleeps (a Wi-Fi card that is off); say so once, not every cycle.
                buffer.ReportError(LinuxHostMetricSource.SourceName, $"temperatures: cannot read {sensor.InputPath}: {error?.Message ?? "not a number"}; the sensor is skipped while this lasts.", error);
            }
        }
    }

    private bool TryRead(TemperatureSensor sensor, out double celsius, out Exception? error)
    {
        error = null;
        try
        {
            return TemperatureSensorDiscovery.TryParseCelsius(_reader.ReadAll(sensor.InputPath), out celsius);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ex;
            celsius = 0;
            return false;
        }
    }
}
