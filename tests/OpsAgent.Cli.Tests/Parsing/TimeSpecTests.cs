extern alias Cli;

using Cli::OpsAgent.Cli.Parsing;

namespace OpsAgent.Cli.Tests.Parsing;

public sealed class TimeSpecTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 31, 8, 15, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("now", "2025-01-31T08:15:00Z")]
    [InlineData("15m", "2025-01-31T08:00:00Z")]
    [InlineData("7d", "2025-01-24T08:15:00Z")]
    [InlineData("2025-01-31T08:00:00Z", "2025-01-31T08:00:00Z")]
    [InlineData("2025-01-31T09:00:00+01:00", "2025-01-31T08:00:00Z")]
    [InlineData("2025-01-31T08:00:00.250Z", "2025-01-31T08:00:00.250Z")]
    [InlineData("2025-01-31T08:00Z", "2025-01-31T08:00:00Z")]
    [InlineData("2025-01-31 08:00:00", "2025-01-31T08:00:00Z")]
    [InlineData("2025-01-31", "2025-01-31T00:00:00Z")]
    [InlineData("100000w", "1970-01-01T00:00:00Z")]
    public void TryParse_DurationOrTime_ResolvesAgainstNow(string text, string expected)
    {
        Assert.True(TimeSpec.TryParse("--since", text, out var spec, out _));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), spec.Resolve(Now));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("31/01/2025")]
    [InlineData("2025-13-01T00:00:00Z")]
    [InlineData("")]
    public void TryParse_Neither_ExplainsBothForms(string text)
    {
        Assert.False(TimeSpec.TryParse("--until", text, out _, out var error));
        Assert.Equal(
            $"--until '{text}' is neither a duration (30s, 15m, 2h, 7d) nor an RFC 3339 time (2025-01-31T08:00:00Z, 2025-01-31T09:00:00+01:00).",
            error);
    }
}
