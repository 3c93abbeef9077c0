using OpsAgent.Agent.Sources.Host.Linux;
using OpsAgent.Agent.Tests.Sources.Host.TestSupport;

namespace OpsAgent.Agent.Tests.Sources.Host.Linux;

public sealed class DiskStatsParserTests
{
    [Fact]
    public void TryRead_CapturedFile_ReadsEveryDevice()
    {
        (List<Disk> disks, int malformed) = ReadAll(FixtureFiles.Read("Linux/captured-vm/proc/diskstats"));

        Assert.Equal(0, malformed);
        Assert.Equal(["loop0", "loop1", "loop2", "loop3", "loop4", "loop5", "loop6", "loop7", "vda", "zram0"], disks.Select(d => d.Name));
        Disk vda = disks.Single(d => d.Name == "vda");
        Assert.Equal((254u, 0u), (vda.Major, vda.Minor));
        Assert.True(vda.ReadsCompleted > 0);
    }

    [Fact]
    public void TryRead_Kernel6With20Fields_MapsTheFieldsInOrder()
    {
        (List<Disk> disks, int malformed) = ReadAll(FixtureFiles.Read("Linux/diskstats/server-kernel6.txt"));

        Assert.Equal(0, malformed);
        Assert.Equal(14, disks.Count);
        Assert.Equal(
            new Disk(8, 0, "sda", ReadsCompleted: 982345, SectorsRead: 78901234, ReadTimeMs: 456789, WritesCompleted: 1234567,
                SectorsWritten: 98765432, WriteTimeMs: 876543, InProgress: 2, IoTimeMs: 654321),
            disks.Single(d => d.Name == "sda"));
    }

    [Fact]
    public void TryRead_Kernel4With14Fields_ReadsTheElevenCounters()
    {
        (List<Disk> disks, int malformed) = ReadAll(FixtureFiles.Read("Linux/diskstats/kernel4-14-fields.txt"));

        Assert.Equal(0, malformed);
        Assert.Equal(
            new Disk(8, 0, "sda", 112233, 6677889, 99001, 223344, 7788990, 11223, 0, 44556),
            disks[0]);
    }

    [Fact]
    public void TryRead_WrappedCounters_ReturnsThemAsTheyAre()
    {
        (List<Disk> before, _) = ReadAll(FixtureFiles.Read("Linux/diskstats/wrap-cycle1.txt"));
        (List<Disk> after, _) = ReadAll(FixtureFiles.Read("Linux/diskstats/wrap-cycle2.txt"));

        Assert.Equal(4294967000UL, before[0].ReadsCompleted);
        Assert.Equal(200UL, after[0].ReadsCompleted);
    }

    [Fact]
    public void TryRead_MalformedLines_SkipsAndCountsThem()
    {
        (List<Disk> disks, int malformed) = ReadAll(FixtureFiles.Read("Linux/diskstats/malformed.txt"));

        // sda1 with three counters, sdb with a non-numeric minor, sdc with a negative counter, a line of text.
        Assert.Equal(4, malformed);
        Assert.Equal(["sda", "nvme0n1"], disks.Select(d => d.Name));
    }

    private static (List<Disk> Disks, int Malformed) ReadAll(string text)
    {
        var disks = new List<Disk>();
        var parser = new DiskStatsParser(text);
        while (parser.TryRead(out DiskStatsEntry e))
        {
            disks.Add(new Disk(e.Major, e.Minor, e.Name.ToString(), e.ReadsCompleted, e.SectorsRead, e.ReadTimeMs,
                e.WritesCompleted, e.SectorsWritten, e.WriteTimeMs, e.InProgress, e.IoTimeMs));
        }

        return (disks, parser.MalformedLines);
    }

    private sealed record Disk(
        uint Major,
        uint Minor,
        string Name,
        ulong ReadsCompleted,
        ulong SectorsRead,
        ulong ReadTimeMs,
        ulong WritesCompleted,
        ulong SectorsWritten,
        ulong WriteTimeMs,
        ulong InProgress,
        ulong IoTimeMs);
}
