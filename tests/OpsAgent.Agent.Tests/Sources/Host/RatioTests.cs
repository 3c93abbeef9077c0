using OpsAgent.Agent.Sources.Host;

namespace OpsAgent.Agent.Tests.Sources.Host;

public sealed class RatioTests
{
    [Theory]
    [InlineData(1, 3, 0.3333)]
    [InlineData(2, 3, 0.6667)]
    [InlineData(0, 5, 0)]
    [InlineData(5, 5, 1)]
    [InlineData(123456789, 1000000000, 0.1235)]
    public void TryCompute_PartOfWhole_RoundsToFourDecimals(double part, double whole, double expected)
    {
        Assert.True(Ratio.TryCompute(part, whole, out double ratio));

        Assert.Equal(expected, ratio);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(1, -1)]
    [InlineData(double.NaN, 1)]
    [InlineData(1, double.NaN)]
    [InlineData(1, double.PositiveInfinity)]
    public void TryCompute_UndefinedRatio_ReturnsFalse(double part, double whole)
    {
        Assert.False(Ratio.TryCompute(part, whole, out _));
    }

    [Fact]
    public void TryCompute_FloatingPointOvershoot_StaysWithinZeroAndOne()
    {
        Assert.True(Ratio.TryCompute(1.0000000001, 1, out double ratio));

        Assert.Equal(1, ratio);
    }
}
