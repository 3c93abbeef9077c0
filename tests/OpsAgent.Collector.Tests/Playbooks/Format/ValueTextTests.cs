using OpsAgent.Collector.Playbooks.Format;

namespace OpsAgent.Collector.Tests.Playbooks.Format;

public sealed class ValueTextTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("15m", 900_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("7d", 604_800_000)]
    [InlineData("1w", 604_800_000)]
    [InlineData("500ms", 500)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData(" 0s ", 0)]
    public void TryParse_Duration_AsAdminsTypeIt(string text, long milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out TimeSpan value, out string error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("30", "has no unit; write 30s, 30m, 30h or 30d.")]
    [InlineData("", "is empty")]
    [InlineData("5x", "is not a duration")]
    [InlineData("m5", "is not a duration")]
    [InlineData("1.5h", "is not a duration")]
    [InlineData("-5m", "is not a duration")]
    [InlineData("99999999999999999d", "far too long")]
    public void TryParse_BadDuration_SaysHowToWriteIt(string text, string fragment)
    {
        Assert.False(DurationText.TryParse(text, out _, out string error));
        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(86_400_000 * 14L, "14d")]
    [InlineData(3_600_500, "1h500ms")]
    public void Format_Duration_RoundTrips(long milliseconds, string text)
    {
        Assert.Equal(text, DurationText.Format(TimeSpan.FromMilliseconds(milliseconds)));
        Assert.True(DurationText.TryParse(text, out TimeSpan back, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), back);
    }

    [Theory]
    [InlineData("500", 500)]
    [InlineData("10MB", 10_000_000)]
    [InlineData("10mib", 10_485_760)]
    [InlineData("1 GiB", 1_073_741_824)]
    [InlineData("2KB", 2000)]
    [InlineData("3B", 3)]
    public void TryParse_Size_AcceptsDecimalAndBinaryUnits(string text, long bytes)
    {
        Assert.True(SizeText.TryParse(text, out long value, out string error), error);
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("ten")]
    [InlineData("10 parsecs")]
    [InlineData("MB")]
    [InlineData("99999999999TiB")]
    public void TryParse_BadSize_IsRefused(string text)
    {
        Assert.False(SizeText.TryParse(text, out _, out string error));
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("system.filesystem.*", "system.filesystem.utilization", true)]
    [InlineData("system.filesystem.*", "system.memory.usage", false)]
    [InlineData("*", "", true)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("*cpu*time", "system.cpu.time", true)]
    [InlineData("*cpu*time", "system.cpu.time.x", false)]
    [InlineData("gen_ai.*duration*", "gen_ai.client.operation.duration", true)]
    [InlineData("exact", "exact", true)]
    [InlineData("exact", "Exact", false)]
    public void IsMatch_Glob_MatchesWildcards(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, new GlobPattern(pattern).IsMatch(text));
    }

    [Fact]
    public void IsMatch_IgnoreCase_MatchesHostNamesInAnyCase()
    {
        Assert.True(new GlobPattern("web-*", ignoreCase: true).IsMatch("WEB-01"));
        Assert.False(new GlobPattern("web-*", ignoreCase: true).IsMatch(null));
    }

    [Fact]
    public void IsMatch_PathologicalPattern_StaysLinear()
    {
        // Backtracking matchers take exponential time on this; the greedy matcher is linear. A timed assertion would be
        // flaky, so the test only proves the call returns (the test run's timeout catches a regression).
        string text = new('a', 5000);
        Assert.False(new GlobPattern(string.Concat(Enumerable.Repeat("*a", 50)) + "b").IsMatch(text));
    }
}
