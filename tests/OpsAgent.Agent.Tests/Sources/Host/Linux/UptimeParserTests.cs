using OpsAgent.Agent.Sources.Host.Linux;
using OpsAgent.Agent.Tests.Sources.Host.TestSupport;

namespace OpsAgent.Agent.Tests.Sources.Host.Linux;

public sealed class UptimeParserTests
{
    [Fact]
    public void TryParse_CapturedFile_ReadsSecondsSinceBoot()
    {
        Assert.True(UptimeParser.TryParse(FixtureFiles.Read("Linux/captured-vm/proc/uptime"), out double seconds));

        Assert.True(seconds > 0);
    }

    [Fact]
    public void TryParse_TypicalLine_ReadsFirstField()
    {
        Assert.True(UptimeParser.TryParse("3763.62 7267.00\n", out double seconds));

        Assert.Equal(3763.62, seconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("up 5 days")]
    [InlineData("-3.5 1.0")]
    public void TryParse_Malformed_ReturnsFalse(string text)
    {
        Assert.False(UptimeParser.TryParse(text, out _));
    }
}
