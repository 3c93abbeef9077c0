extern alias Cli;

using Cli::OpsAgent.Cli.Metrics;

namespace OpsAgent.Cli.Tests.Metrics;

public sealed class StepGridTests
{
    [Theory]
    [InlineData(10, 10)]
    [InlineData(300, 10)]
    [InlineData(900, 15)]
    [InlineData(3600, 60)]
    [InlineData(86400, 1800)]
    [InlineData(604800, 10800)]
    public void AutoStep_Range_IsSmallestRoundStepWithinSixtyCellsAndAtLeastTenSeconds(int rangeSeconds, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), StepGrid.AutoStep(TimeSpan.FromSeconds(rangeSeconds)));

    [Fact]
    public void AutoStep_BeyondLargestRoundStep_StillFitsSixtyCells()
    {
        var range = TimeSpan.FromDays(1000);

        Assert.True(range / StepGrid.AutoStep(range) <= StepGrid.TargetCells);
    }

    [Theory]
    [InlineData(125_000, 60_000, 120_000)]
    [InlineData(120_000, 60_000, 120_000)]
    [InlineData(125_000, 0, 125_000)]
    public void AlignStart_ToStep_RoundsDown(long start, long step, long expected) =>
        Assert.Equal(expected, StepGrid.AlignStart(start, step));

    [Fact]
    public void Cells_PointsOnGrid_LeaveMissingStepsAsNaN()
    {
        var cells = StepGrid.Cells([0, 120, 180], [1.0, 3.0, 4.0], startMs: 0, endMs: 300, stepMs: 60);

        Assert.Equal(5, cells.Length);
        Assert.Equal(1.0, cells[0]);
        Assert.True(double.IsNaN(cells[1]));
        Assert.Equal(3.0, cells[2]);
        Assert.Equal(4.0, cells[3]);
        Assert.True(double.IsNaN(cells[4]));
    }

    [Fact]
    public void Cells_PointsOutsideRange_AreIgnored()
    {
        var cells = StepGrid.Cells([-60, 0, 300, 360], [9.0, 1.0, 9.0, 9.0], startMs: 0, endMs: 300, stepMs: 60);

        Assert.Equal([1.0], cells.Where(double.IsFinite));
    }

    [Fact]
    public void Cells_PartialLastStep_GetsACell() =>
        Assert.Equal(3, StepGrid.Cells([], [], startMs: 0, endMs: 121, stepMs: 60).Length);

    [Fact]
    public void Cells_Raw_AreTheValuesInOrder() =>
        Assert.Equal([1.0, 2.0, 3.0], StepGrid.Cells([5, 7, 100], [1.0, 2.0, 3.0], startMs: 0, endMs: 300, stepMs: 0));

    [Fact]
    public void Cells_MismatchedArrays_UseTheShorter() =>
        Assert.Equal([1.0], StepGrid.Cells([5, 7], [1.0], startMs: 0, endMs: 300, stepMs: 0));
}
