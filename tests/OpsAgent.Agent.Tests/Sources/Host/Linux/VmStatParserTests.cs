using OpsAgent.Agent.Sources.Host.Linux;
using OpsAgent.Agent.Tests.Sources.Host.TestSupport;

namespace OpsAgent.Agent.Tests.Sources.Host.Linux;

public sealed class VmStatParserTests
{
    [Fact]
    public void Parse_CapturedFile_ReadsFaultAndSwapCounters()
    {
        VmStat stat = VmStatParser.Parse(FixtureFiles.Read("Linux/captured-vm/proc/vmstat"));

        Assert.Equal(0, stat.MalformedLines);
        Assert.NotNull(stat.PageFaults);
        Assert.NotNull(stat.MajorPageFaults);
        Assert.True(stat.PageFaults >= stat.MajorPageFaults);
        Assert.Equal(0UL, stat.SwapIns);
        Assert.Equal(0UL, stat.SwapOuts);
    }

    [Fact]
    public void Parse_MalformedValues_SkipsAndCountsThem()
    {
        VmStat stat = VmStatParser.Parse(FixtureFiles.Read("Linux/vmstat/malformed.txt"));

        Assert.Equal(2, stat.MalformedLines);
        Assert.Null(stat.PageFaults);
        Assert.Equal(17UL, stat.MajorPageFaults);
        Assert.Null(stat.SwapIns);
        Assert.Equal(99UL, stat.SwapOuts);
    }
}
