using OpsAgent.Agent.Sources.Host;
using OpsAgent.Agent.Sources.Host.Linux;
using OpsAgent.Agent.Tests.Sources.Host.TestSupport;

namespace OpsAgent.Agent.Tests.Sources.Host.Linux;

public sealed class ProcStatParserTests
{
    [Fact]
    public void Parse_CapturedFile_ReadsEveryCpuAndTheProcessCounters()
    {
        var stat = new ProcStat();

        ProcStatParser.Parse(FixtureFiles.Read("Linux/captured-vm/proc/stat"), stat);

        Assert.Equal(0, stat.MalformedLines);
        Assert.Equal([0, 1], stat.Cpus.Select(c => c.Id));
        Assert.Equal(new CpuTimes(79398, 0, 10867, 826352, 527, 0, 71, 53), stat.AllCpus);
        Assert.Equal(new CpuTimes(39108, 0, 5026, 414526, 60, 0, 14, 29), stat.Cpus[0].Times);
        Assert.Equal(14406UL, stat.ProcessesCreated);
        Assert.Equal(3UL, stat.ProcessesRunning);
        Assert.Equal(0UL, stat.ProcessesBlocked);
    }

    [Fact]
    public void Parse_CpuOffline_ListsOnlyTheOnlineCpus()
    {
        var stat = new ProcStat();

        ProcStatParser.Parse(FixtureFiles.Read("Linux/stat/four-cpus-cycle2-cpu2-offline.txt"), stat);

        Assert.Equal([0, 1, 3], stat.Cpus.Select(c => c.Id));
    }

    [Fact]
    public void Parse_OldKernelWithFewerFields_TreatsMissingModesAsZero()
    {
        var stat = new ProcStat();

        ProcStatParser.Parse(FixtureFiles.Read("Linux/stat/old-kernel.txt"), stat);

        Assert.Equal(0, stat.MalformedLines);
        Assert.Equal(new CpuTimes(1000, 20, 300, 50000, 0, 0, 0, 0), stat.Cpus[0].Times);
        Assert.Equal(default, stat.Cpus[1].Times);
        Assert.Equal(86031UL, stat.ProcessesCreated);
        Assert.Equal(6UL, stat.ProcessesRunning);
        Assert.Equal(2UL, stat.ProcessesBlocked);
    }

    [Fact]
    public void Parse_MalformedLines_SkipsAndCountsThemAndKeepsTheRest()
    {
        var stat = new ProcStat();

        ProcStatParser.Parse(FixtureFiles.Read("Linux/stat/malformed.txt"), stat);

        // cpu1 (a letter), cpuX, cpu2 (two fields), cpu99999999, "processes" without value, procs_running -1.
        Assert.Equal(6, stat.MalformedLines);
        Assert.Equal([0, 3], stat.Cpus.Select(c => c.Id));
        Assert.NotNull(stat.AllCpus);
        Assert.Null(stat.ProcessesCreated);
        Assert.Null(stat.ProcessesRunning);
        Assert.Equal(0UL, stat.ProcessesBlocked);
    }

    [Fact]
    public void Parse_ReusedResult_ForgetsThePreviousFile()
    {
        var stat = new ProcStat();
        ProcStatParser.Parse(FixtureFiles.Read("Linux/stat/four-cpus-cycle1.txt"), stat);

        ProcStatParser.Parse("cpu0 1 2 3 4\n", stat);

        Assert.Single(stat.Cpus);
        Assert.Null(stat.AllCpus);
        Assert.Null(stat.ProcessesCreated);
    }

    [Fact]
    public void Parse_EmptyText_FindsNothing()
    {
        var stat = new ProcStat();

        ProcStatParser.Parse("", stat);

        Assert.Empty(stat.Cpus);
        Assert.Equal(0, stat.MalformedLines);
    }
}
