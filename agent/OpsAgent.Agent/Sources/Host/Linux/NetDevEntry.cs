namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>One interface line of /proc/net/dev; all counters are cumulative since the interface was created.</summary>
internal readonly ref struct NetDevEntry
{
    /// <summary>Interface name ("eth0"); valid until the text it was read from changes.</summary>
    public ReadOnlySpan<char> Name { get; init; }

    public ulong ReceiveBytes { get; init; }

    public ulong ReceivePackets { get; init; }

    public ulong ReceiveErrors { get; init; }

    public ulong ReceiveDropped { get; init; }

    public ulong TransmitBytes { get; init; }

    public ulong TransmitPackets { get; init; }

    public ulong TransmitErrors { get; init; }

    public ulong TransmitDropped { get; init; }
}
