using System.Net.NetworkInformation;
using System.Runtime.Versioning;

namespace OpsAgent.Agent.Sources.Host.Windows;

/// <summary>Traffic and errors per network interface (System.Net.NetworkInformation, i.e. GetIfEntry2).</summary>
/// <remarks>
/// Only interfaces that are up, and not loopback or tunnel pseudo-interfaces: Windows lists a dozen virtual
/// adapters (WAN miniports, Teredo, Hyper-V ports) that are down and would only add empty series. Labelled with
/// the interface's name ("Ethernet 2").
/// </remarks>
[SupportedOSPlatform("windows")]
internal sealed class WindowsNetworkCollector : IHostCollector
{
    private readonly NameCache<InterfaceSeries> _interfaces;

    public WindowsNetworkCollector(NamePatterns excluded)
    {
        _interfaces = new NameCache<InterfaceSeries>(name => excluded.Matches(name) ? null : new InterfaceSeries(name));
    }

    public string Subsystem => "network";

    public void Collect(MetricBuffer buffer)
    {
        _interfaces.BeginCycle();
        foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up ||
                nic.NetworkInterfaceType is NetworkInterfaceType.Loopback or NetworkInterfaceType.Tunnel)
            {
                continue;
            }

            InterfaceSeries? series = _interfaces.Get(nic.Name);
            if (series is null)
            {
                continue;
            }

            IPInterfaceStatistics stats = nic.GetIPStatistics();
            buffer.Counter(HostMetricNames.NetworkIo, HostMetricNames.UnitBytes, stats.BytesReceived, series.Receive);
            buffer.Counter(HostMetricNames.NetworkIo, HostMetricNames.UnitBytes, stats.BytesSent, series.Transmit);
            buffer.Counter(HostMetricNames.NetworkPackets, HostMetricNames.UnitPacket, stats.UnicastPacketsReceived + stats.NonUnicastPacketsReceived, series.Receive);
            buffer.Counter(HostMetricNames.NetworkPackets, HostMetricNames.UnitPacket, stats.UnicastPacketsSent + stats.NonUnicastPacketsSent, series.Transmit);
            buffer.Counter(HostMetricNames.NetworkErrors, HostMetricNames.UnitError, stats.IncomingPacketsWithErrors, series.Receive);
            buffer.Counter(HostMetricNames.NetworkErrors, HostMetricNames.UnitError, stats.OutgoingPacketsWithErrors, series.Transmit);
            buffer.Counter(HostMetricNames.NetworkDropped, HostMetricNames.UnitPacket, stats.IncomingPacketsDiscarded, series.Receive);
            buffer.Counter(HostMetricNames.NetworkDropped, HostMetricNames.UnitPacket, stats.OutgoingPacketsDiscarded, series.Transmit);
        }

        _interfaces.EndCycle();
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
