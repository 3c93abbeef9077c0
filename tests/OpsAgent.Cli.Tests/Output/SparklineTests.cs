extern alias Cli;

using Cli::OpsAgent.Cli.Output;

namespace OpsAgent.Cli.Tests.Output;

public sealed class SparklineTests
{
    [Fact]
    public void Render_EightLevels_UsesEveryBlockFromLowestToHighest() =>
        Assert.Equal("▁▂▃▄▅▆▇█", Sparkline.Render([0, 1, 2, 3, 4, 5, 6, 7]));

    [Fact]
    public void Render_OffsetAndScaledRow_IsScaledToItsOwnRange() =>
        Assert.Equal("▁▂▃▄▅▆▇█", Sparkline.Render([1000, 1010, 1020, 1030, 1040, 1050, 1060, 1070]));

    [Fact]
    public void Render_Flat_DrawsMidHeight() =>
        Assert.Equal("▄▄▄▄", Sparkline.Render([0.5, 0.5, 0.5, 0.5]));

    [Fact]
    public void Render_SinglePoint_DrawsMidHeight() =>
        Assert.Equal("▄", Sparkline.Render([42]));

    [Fact]
    public void Render_MissingSteps_AreSpaces() =>
        Assert.Equal("▁ █  ▁", Sparkline.Render([1, double.NaN, 3, double.NaN, double.NaN, 1]));

    [Fact]
    public void Render_NaNAndInfinities_AreGapsAndDoNotDistortScale() =>
        Assert.Equal("▁ █ ", Sparkline.Render([1, double.PositiveInfinity, 2, double.NegativeInfinity]));

    [Fact]
    public void Render_SinglePointAmongGaps_DrawsMidHeightInItsStep() =>
        Assert.Equal("  ▄ ", Sparkline.Render([double.NaN, double.NaN, 7, double.NaN]));

    [Fact]
    public void Render_NothingFinite_IsBlank() =>
        Assert.Equal("   ", Sparkline.Render([double.NaN, double.NaN, double.NaN]));

    [Fact]
    public void Render_Empty_IsEmpty() =>
        Assert.Equal(string.Empty, Sparkline.Render([]));

    [Fact]
    public void Fit_NarrowEnough_KeepsCells() =>
        Assert.Equal([1.0, double.NaN, 3.0], Sparkline.Fit([1, double.NaN, 3], 3));

    [Fact]
    public void Fit_TooWide_AveragesNeighboursIgnoringGaps() =>
        Assert.Equal([1.5, 3.0, 5.0], Sparkline.Fit([1, 2, double.NaN, 3, 5], 3));

    [Fact]
    public void Fit_GroupOfGaps_StaysAGap()
    {
        var fitted = Sparkline.Fit([1, 1, double.NaN, double.NaN, 2, 2], 3);

        Assert.Equal(3, fitted.Length);
        Assert.True(double.IsNaN(fitted[1]));
        Assert.Equal("▁ █", Sparkline.Render(fitted));
    }

    [Fact]
    public void Fit_ZeroWidth_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Sparkline.Fit([1, 2], 0));
}
