extern alias Cli;

using Cli::OpsAgent.Cli.Parsing;

namespace OpsAgent.Cli.Tests.Parsing;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("15m", 900_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("7d", 604_800_000)]
    [InlineData("1w", 604_800_000)]
    [InlineData("500ms", 500)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData(" 15m ", 900_000)]
    public void TryParse_Valid_GivesDuration(string text, long expectedMs)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("m")]
    [InlineData("15x")]
    [InlineData("-5m")]
    [InlineData("15 m")]
    [InlineData("1h-30m")]
    [InlineData("1..5h")]
    [InlineData("99999999999999d")]
    public void TryParse_Invalid_Fails(string text) =>
        Assert.False(DurationParser.TryParse(text, out _));

    [Fact]
    public void TryParse_InvalidWithOptionName_ExplainsWithExamples()
    {
        Assert.False(DurationParser.TryParse("--step", "5", out _, out var error));
        Assert.Equal("--step '5' is not a duration. Use a number and a unit: 30s, 15m, 2h, 7d (also ms, w, and 1h30m).", error);
    }

    [Theory]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(15_000, "15s")]
    [InlineData(1_500, "1s500ms")]
    [InlineData(172_800_000, "2d")]
    [InlineData(0, "0s")]
    public void Format_Duration_RoundTrips(long ms, string expected)
    {
        Assert.Equal(expected, DurationParser.Format(TimeSpan.FromMilliseconds(ms)));
        if (ms > 0)
        {
            Assert.True(DurationParser.TryParse(expected, out var parsed));
            Assert.Equal(TimeSpan.FromMilliseconds(ms), parsed);
        }
    }
}
