using OpsAgent.Agent.Sources.Host.Linux;
using OpsAgent.Agent.Tests.Sources.Host.TestSupport;

namespace OpsAgent.Agent.Tests.Sources.Host.Linux;

public sealed class NetDevParserTests
{
    [Fact]
    public void TryRead_CapturedFile_SkipsTheHeaderAndReadsEveryInterface()
    {
        (List<Nic> nics, int malformed) = ReadAll(FixtureFiles.Read("Linux/captured-vm/proc/net/dev"));

        Assert.Equal(0, malformed);
        Assert.Equal(["lo", "ifb0", "ifb1", "eth0"], nics.Select(n => n.Name));
        Assert.True(nics.Single(n => n.Name == "eth0").ReceiveBytes > 0);
    }

    [Fact]
    public void TryRead_DockerHost_ReadsLongNamesHugeCountersAndLinesWithoutASpaceAfterTheColon()
    {
        (List<Nic> nics, int malformed) = ReadAll(FixtureFiles.Read("Linux/netdev/docker-host.txt"));

        Assert.Equal(0, malformed);
        Assert.Equal(9, nics.Count);
        Assert.Equal(
            new Nic("eth0", 18446744073709551000, 4294967295, 3, 17, 987654321012, 876543210, 1, 5),
            nics.Single(n => n.Name == "eth0"));
        Assert.Equal(123456789012UL, nics.Single(n => n.Name == "eth1").ReceiveBytes);
        Assert.Contains(nics, n => n.Name == "br-5e2a1f0c9d88");
    }

    [Fact]
    public void TryRead_MalformedLines_SkipsAndCountsThem()
    {
        (List<Nic> nics, int malformed) = ReadAll(FixtureFiles.Read("Linux/netdev/malformed.txt"));

        // eth1 (four fields), eth2 ("ten"), a line without a name, a line without a colon.
        Assert.Equal(4, malformed);
        Assert.Equal(["eth0", "eth3"], nics.Select(n => n.Name));
        Assert.Equal(new Nic("eth3", 3000, 30, 1, 2, 4000, 40, 3, 4), nics[1]);
    }

    private static (List<Nic> Nics, int Malformed) ReadAll(string text)
    {
        var nics = new List<Nic>();
        var parser = new NetDevParser(text);
        while (parser.TryRead(out NetDevEntry e))
        {
            nics.Add(new Nic(e.Name.ToString(), e.ReceiveBytes, e.ReceivePackets, e.ReceiveErrors, e.ReceiveDropped,
                e.TransmitBytes, e.TransmitPackets, e.TransmitErrors, e.TransmitDropped));
        }

        return (nics, parser.MalformedLines);
    }

    private sealed record Nic(
        string Name,
        ulong ReceiveBytes,
        ulong ReceivePackets,
        ulong ReceiveErrors,
        ulong ReceiveDropped,
        ulong TransmitBytes,
        ulong TransmitPackets,
        ulong TransmitErrors,
        ulong TransmitDropped);
}
