using OpsAgent.Agent.Sources.Host;

namespace OpsAgent.Agent.Tests.Sources.Host;

public sealed class CpuUsageTrackerTests
{
    private static readonly CpuTimes Start = new(100, 0, 50, 800, 10, 0, 0, 0);
    private static readonly CpuTimes OneSecondLater = new(150, 0, 60, 835, 10, 0, 5, 0);

    [Fact]
    public void TryUpdate_FirstCycle_GivesNoDelta()
    {
        var tracker = new CpuUsageTracker();
        tracker.BeginCycle();

        Assert.False(tracker.TryUpdate(0, Start, out _));
    }

    [Fact]
    public void TryUpdate_ConsecutiveCycles_GivesTheDifference()
    {
        var tracker = new CpuUsageTracker();
        tracker.BeginCycle();
        tracker.TryUpdate(0, Start, out _);
        tracker.BeginCycle();

        Assert.True(tracker.TryUpdate(0, OneSecondLater, out CpuTimes delta));

        Assert.Equal(new CpuTimes(50, 0, 10, 35, 0, 0, 5, 0), delta);
        Assert.Equal(100UL, delta.Total);
        Assert.Equal(65UL, delta.Busy);
    }

    [Fact]
    public void TryUpdate_CounterWentBackwards_GivesNoDeltaThenRecovers()
    {
        var tracker = new CpuUsageTracker();
        tracker.BeginCycle();
        tracker.TryUpdate(0, Start, out _);
        tracker.BeginCycle();

        Assert.False(tracker.TryUpdate(0, Start with { IoWait = 5, Idle = 900 }, out _));

        tracker.BeginCycle();
        Assert.True(tracker.TryUpdate(0, Start with { IoWait = 6, Idle = 950 }, out CpuTimes delta));
        Assert.Equal(51UL, delta.Total);
    }

    [Fact]
    public void TryUpdate_CpuMissingForACycle_StartsAfreshWhenItReturns()
    {
        var tracker = new CpuUsageTracker();
        tracker.BeginCycle();
        tracker.TryUpdate(3, Start, out _);
        tracker.BeginCycle(); // cpu3 offline: not updated
        tracker.BeginCycle();

        Assert.False(tracker.TryUpdate(3, OneSecondLater, out _));

        tracker.BeginCycle();
        Assert.True(tracker.TryUpdate(3, OneSecondLater with { User = 200 }, out CpuTimes delta));
        Assert.Equal(50UL, delta.User);
    }

    [Fact]
    public void TryUpdate_NoTimePassed_GivesNoDelta()
    {
        var tracker = new CpuUsageTracker();
        tracker.BeginCycle();
        tracker.TryUpdate(0, Start, out _);
        tracker.BeginCycle();

        Assert.False(tracker.TryUpdate(0, Start, out _));
    }

    [Fact]
    public void TryUpdate_CpuIdBeyondTheInitialCapacity_Works()
    {
        var tracker = new CpuUsageTracker();
        tracker.BeginCycle();
        tracker.TryUpdate(511, Start, out _);
        tracker.BeginCycle();

        Assert.True(tracker.TryUpdate(511, OneSecondLater, out _));
    }
}
