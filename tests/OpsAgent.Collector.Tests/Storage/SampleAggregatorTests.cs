using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Tests.Storage;

public sealed class SampleAggregatorTests
{
    // Two 10 s steps: [0, 10000) holds 1, 3, 2, 6; [10000, 20000) holds 10, 20.
    private static readonly long[] Times = [0, 2000, 4000, 6000, 10000, 15000];
    private static readonly double[] Values = [1, 3, 2, 6, 10, 20];

    [Theory]
    [InlineData((int)Aggregation.Avg, 3.0, 15.0)]
    [InlineData((int)Aggregation.Min, 1.0, 10.0)]
    [InlineData((int)Aggregation.Max, 6.0, 20.0)]
    [InlineData((int)Aggregation.Sum, 12.0, 30.0)]
    [InlineData((int)Aggregation.Last, 6.0, 20.0)]
    [InlineData((int)Aggregation.Count, 4.0, 2.0)]
    // P95 interpolates between closest ranks: sorted 1,2,3,6 at rank 0.95*3 = 2.85 -> 3 + 0.85*(6-3) = 5.55.
    [InlineData((int)Aggregation.P95, 5.55, 19.5)]
    public void Aggregate_HandComputedSteps_ReturnsExpected(int aggregation, double first, double second)
    {
        (long[] points, double[] values) = SampleAggregator.Aggregate(Times, Values, 0, 20000, 10000, (Aggregation)aggregation);

        Assert.Equal([0L, 10000L], points);
        Assert.Equal(first, values[0], 9);
        Assert.Equal(second, values[1], 9);
    }

    [Fact]
    public void Aggregate_RateAcrossCounterReset_CountsNewValueAsIncrease()
    {
        // Counter 100, 110, 130, then the process restarts: 5, 25. Step 10 s.
        long[] times = [0, 5000, 10000, 15000, 20000];
        double[] values = [100, 110, 130, 5, 25];

        (long[] points, double[] rates) = SampleAggregator.Aggregate(times, values, 0, 20000, 10000, Aggregation.Rate);

        Assert.Equal([0L, 10000L, 20000L], points);
        Assert.Equal(10 / 10.0, rates[0], 9);          // 100 -> 110
        Assert.Equal((20 + 5) / 10.0, rates[1], 9);    // 110 -> 130, then reset to 5 counts 5
        Assert.Equal(20 / 10.0, rates[2], 9);          // 5 -> 25
    }

    [Fact]
    public void Aggregate_SamplesBeforeStart_AreOnlyUsedAsRateBaseline()
    {
        long[] times = [-5000, 0, 5000];
        double[] values = [50, 60, 80];

        (long[] avgPoints, double[] avg) = SampleAggregator.Aggregate(times, values, 0, 9999, 10000, Aggregation.Avg);
        (_, double[] rate) = SampleAggregator.Aggregate(times, values, 0, 9999, 10000, Aggregation.Rate);

        Assert.Equal([0L], avgPoints);
        Assert.Equal(70, avg[0], 9);
        Assert.Equal(30 / 10.0, rate[0], 9);
    }
}
