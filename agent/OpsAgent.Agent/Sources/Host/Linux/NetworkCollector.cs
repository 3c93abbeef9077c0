namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>Traffic and errors per network interface (system.network.*) from /proc/net/dev.</summary>
/// <remarks>
/// The interfaces are those of the agent's network namespace (the host's, when the agent runs as a service).
/// Interfaces matching <see cref="HostMetricsOptions.ExcludedNetworkInterfaces"/> and interfaces that have never
/// carried a packet (unused tunnels and bonding slots) are skipped.
/// </remarks>
internal sealed class NetworkCollector : IHostCollector
{
    private readonly string _path;
    private readonly ProcFileReader _reader;
    private readonly NamePatterns _excluded;
    private readonly NameCache<InterfaceSeries> _interfaces;

    public NetworkCollector(string procRoot, ProcFileReader reader, NamePatterns excluded)
    {
        _path = Path.Combine(procRoot, "net", "dev");
        _reader = reader;
        _excluded = excluded;
        _interfaces = new NameCache<InterfaceSeries>(name => _excluded.Matches(name) ? null : new InterfaceSeries(name));
    }

    public string Subsystem => "network";

    public void Collect(MetricBuffer buffer)
    {
        _interfaces.BeginCycle();
        var parser = new NetDevParser(_reader.ReadAll(_path));
        while (parser.TryRead(out NetDevEntry entry))
        {
            InterfaceSeries? nic = _interfaces.Get(entry.Name);
            if (nic is null || (entry.ReceivePackets == 0 && entry.TransmitPackets == 0))
            {
                continue;
            }

            buffer.Counter(HostMetricNames.NetworkIo, HostMetricNames.UnitBytes, entry.ReceiveBytes, nic.Receive);
            buffer.Counter(HostMetricNames.NetworkIo, HostMetricNames.UnitBytes, entry.TransmitBytes, nic.Transmit);
            buffer.Counter(HostMetricNames.NetworkPackets, HostMetricNames.UnitPacket, entry.ReceivePackets, nic.Receive);
            buffer.Counter(HostMetricNames.NetworkPackets, HostMetricNames.UnitPacket, entry.TransmitPackets, nic.Transmit);
            buffer.Counter(HostMetricNames.NetworkErrors, HostMetricNames.UnitError, entry.ReceiveErrors, nic.Receive);
            buffer.Counter(HostMetricNames.NetworkErrors, HostMetricNames.UnitError, entry.TransmitErrors, nic.Transmit);
            buffer.Counter(HostMetricNames.NetworkDropped, HostMetricNames.UnitPacket, entry.ReceiveDropped, nic.Receive);
            buffer.Counter(HostMetricNames.NetworkDropped, HostMetricNames.UnitPacket, entry.TransmitDropped, nic.Transmit);
        }

        _interfaces.EndCycle();
        if (parser.MalformedLines > 0)
        {
            buffer.ReportError(LinuxHostMetricSource.SourceName, $"network: skipped {parser.MalformedLines} malformed line(s) of {_path}.");
        }
    }

    private sealed class InterfaceSeries
    {
        public InterfaceSeries(string name)
        {
            Receive = [new("device", name), new("direction", "receive")];
            Transmit = [new("device", name), new("direction", "transmit")];
        }

        public MetricLabel[] Receive { get; }

        public MetricLabel[] Transmit { get; }
    }
}
