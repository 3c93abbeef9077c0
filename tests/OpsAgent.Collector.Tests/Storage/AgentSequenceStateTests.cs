using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Tests.Storage;

public sealed class AgentSequenceStateTests
{
    [Fact]
    public void Add_InOrderSequences_KeepsOneRange()
    {
        var state = new AgentSequenceState(1, "a", 0);
        for (ulong s = 1; s <= 1000; s++)
        {
            state.Add(s);
        }

        Assert.Single(state.Ranges);
        Assert.True(state.Contains(500));
        Assert.False(state.Contains(1001));
    }

    [Fact]
    public void Add_GapFilledLater_MergesRanges()
    {
        var state = new AgentSequenceState(1, "a", 0);
        state.Add(1);
        state.Add(3);
        Assert.Equal(2, state.Ranges.Count);
        Assert.False(state.Contains(2));

        state.Add(2);

        Assert.Single(state.Ranges);
        Assert.True(state.Contains(2));
    }

    [Fact]
    public void ForgetBelow_SettlesGapsBelowAndDropsRanges()
    {
        var state = new AgentSequenceState(1, "a", 0);
        state.Add(1);
        state.Add(5);
        state.Add(6);

        state.ForgetBelow(5);

        Assert.Empty(state.Ranges);
        Assert.Equal(7UL, state.Floor);
        Assert.True(state.Contains(3)); // settled: the agent no longer holds it, a resend would be a bug
        Assert.False(state.Contains(7));
    }
}
