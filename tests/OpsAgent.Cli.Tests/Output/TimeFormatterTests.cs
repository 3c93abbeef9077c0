extern alias Cli;

using Cli::OpsAgent.Cli.Output;

namespace OpsAgent.Cli.Tests.Output;

public sealed class TimeFormatterTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 31, 8, 15, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(12, "12s")]
    [InlineData(312, "5m12s")]
    [InlineData(300, "5m")]
    [InlineData(10800, "3h")]
    [InlineData(11520, "3h12m")]
    [InlineData(183600, "2d3h")]
    [InlineData(-5, "0s")]
    public void Age_Seconds_HasAtMostTwoUnits(int seconds, string expected) =>
        Assert.Equal(expected, TimeFormatter.Age(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Ago_Past_IsRelative() =>
        Assert.Equal("12s ago", TimeFormatter.Ago(Now.AddSeconds(-12).ToUnixTimeMilliseconds(), Now));

    [Fact]
    public void Ago_Future_SaysIn() =>
        Assert.Equal("in 5s", TimeFormatter.Ago(Now.AddSeconds(5).ToUnixTimeMilliseconds(), Now));

    [Fact]
    public void Ago_Zero_IsNever() =>
        Assert.Equal("never", TimeFormatter.Ago(0, Now));

    [Fact]
    public void ToRfc3339_UnixMs_IsFixedWidthUtc() =>
        Assert.Equal("2025-01-31T08:15:00.007Z", TimeFormatter.ToRfc3339(Now.ToUnixTimeMilliseconds() + 7));

    [Fact]
    public void ToRfc3339_Zero_IsNull() =>
        Assert.Null(TimeFormatter.ToRfc3339(0));

    [Fact]
    public void Local_InZone_ShowsOffset()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus-one", TimeSpan.FromHours(1), "plus-one", "plus-one");

        Assert.Equal("2025-01-31 09:15:00 +01:00", TimeFormatter.Local(Now.ToUnixTimeMilliseconds(), zone));
    }
}
