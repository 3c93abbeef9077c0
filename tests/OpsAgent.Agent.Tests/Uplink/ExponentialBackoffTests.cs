using OpsAgent.Agent.Uplink;

namespace OpsAgent.Agent.Tests.Uplink;

public sealed class ExponentialBackoffTests
{
    [Fact]
    public void Next_ConsecutiveFailures_GrowsAndStaysWithinJitterBounds()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(42));
        double[] steps = [1, 2, 4, 8, 16, 30, 30, 30];

        foreach (double step in steps)
        {
            double delay = backoff.Next().TotalSeconds;
            Assert.InRange(delay, step / 2, step);
        }
    }

    [Fact]
    public void Reset_AfterFailures_StartsAgainFromMinimum()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(1));
        for (int i = 0; i < 6; i++)
        {
            backoff.Next();
        }

        backoff.Reset();

        Assert.InRange(backoff.Next().TotalSeconds, 0.5, 1);
        Assert.Equal(1, backoff.ConsecutiveFailures);
    }

    [Fact]
    public void Next_ManyAgents_SpreadsReconnects()
    {
        // 100 agents that lost the collector at the same moment must not all come back at the same moment.
        var delays = Enumerable.Range(0, 100)
            .Select(seed => new ExponentialBackoff(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(60), new Random(seed)).Next().TotalMilliseconds)
            .ToList();

        Assert.True(delays.Max() - delays.Min() > 2000, "jitter should spread 100 reconnects over seconds");
    }
}
