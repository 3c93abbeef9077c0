using OpsAgent.Agent.Sources.Host.Linux;
using OpsAgent.Agent.Tests.Sources.Host.TestSupport;

namespace OpsAgent.Agent.Tests.Sources.Host.Linux;

public sealed class MeminfoParserTests
{
    [Fact]
    public void Parse_CapturedHostWithoutSwap_ReadsBytesAndZeroSwap()
    {
        Meminfo info = MeminfoParser.Parse(FixtureFiles.Read("Linux/captured-vm/proc/meminfo"));

        Assert.Equal(0, info.MalformedLines);
        Assert.Equal(24684096UL * 1024, info.MemTotal);
        Assert.NotNull(info.MemAvailable);
        Assert.Equal(0UL, info.SwapTotal);
        Assert.Equal(0UL, info.SwapFree);
    }

    [Fact]
    public void Parse_HostWithSwap_ReadsEveryField()
    {
        Meminfo info = MeminfoParser.Parse(FixtureFiles.Read("Linux/meminfo/with-swap.txt"));

        Assert.Equal(
            new Meminfo
            {
                MemTotal = 16318480UL * 1024,
                MemFree = 512340UL * 1024,
                MemAvailable = 6021788UL * 1024,
                Buffers = 421560UL * 1024,
                Cached = 5012344UL * 1024,
                SReclaimable = 600000UL * 1024,
                SUnreclaim = 250000UL * 1024,
                SwapTotal = 8388604UL * 1024,
                SwapFree = 6291452UL * 1024,
            },
            info);
    }

    [Fact]
    public void Parse_OldKernelWithoutMemAvailable_LeavesItNull()
    {
        Meminfo info = MeminfoParser.Parse(FixtureFiles.Read("Linux/meminfo/old-kernel-no-memavailable.txt"));

        Assert.Null(info.MemAvailable);
        Assert.Equal(3922736UL * 1024, info.MemTotal);
    }

    [Fact]
    public void Parse_MalformedValues_SkipsAndCountsThem()
    {
        Meminfo info = MeminfoParser.Parse(FixtureFiles.Read("Linux/meminfo/malformed.txt"));

        // MemFree "abc", MemAvailable without a unit, Cached in "MB".
        Assert.Equal(3, info.MalformedLines);
        Assert.Null(info.MemFree);
        Assert.Null(info.MemAvailable);
        Assert.Null(info.Cached);
        Assert.Equal(8000000UL * 1024, info.MemTotal);
        Assert.Equal(200000UL * 1024, info.SReclaimable);
    }
}
