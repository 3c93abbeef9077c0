using OpsAgent.Agent.Sources.Host.Linux;
using OpsAgent.Agent.Tests.Sources.Host.TestSupport;

namespace OpsAgent.Agent.Tests.Sources.Host.Linux;

public sealed class LoadAvgParserTests
{
    [Fact]
    public void TryParse_CapturedFile_ReadsAverages()
    {
        string text = FixtureFiles.Read("Linux/captured-vm/proc/loadavg");

        Assert.True(LoadAvgParser.TryParse(text, out LoadAverage load));

        string[] fields = text.Split(' ');
        Assert.Equal(double.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture), load.OneMinute);
        Assert.True(load.TotalThreads > 0);
    }

    [Fact]
    public void TryParse_BusyServer_ReadsAllFields()
    {
        Assert.True(LoadAvgParser.TryParse(FixtureFiles.Read("Linux/loadavg/busy-server.txt"), out LoadAverage load));

        Assert.Equal(new LoadAverage(12.5, 8.25, 4.0, 17, 3012), load);
    }

    [Theory]
    [InlineData("Linux/loadavg/truncated.txt")]
    [InlineData("Linux/loadavg/wrong-decimal-separator.txt")]
    public void TryParse_MalformedFile_ReturnsFalse(string fixture)
    {
        Assert.False(LoadAvgParser.TryParse(FixtureFiles.Read(fixture), out _));
    }

    [Fact]
    public void TryParse_Empty_ReturnsFalse()
    {
        Assert.False(LoadAvgParser.TryParse("", out _));
    }
}
