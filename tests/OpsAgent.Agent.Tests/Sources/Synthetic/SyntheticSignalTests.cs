using OpsAgent.Agent.Sources.Synthetic;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Sources.Synthetic;

public sealed class SyntheticSignalTests
{
    private static readonly DateTimeOffset FaultStart = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly long At = FaultStart.ToUnixTimeMilliseconds();

    [Fact]
    public void ValueAt_SameInputsTwoInstances_SameValue()
    {
        var a = new SyntheticSignal(new SyntheticOptions { Series = 3, Seed = 7 });
        var b = new SyntheticSignal(new SyntheticOptions { Series = 3, Seed = 7 });

        for (long t = At; t < At + 60_000; t += 1000)
        {
            Assert.Equal(a.ValueAt(2, t), b.ValueAt(2, t));
        }
    }

    [Fact]
    public void ValueAt_DifferentSeedOrSeries_DifferentNoise()
    {
        var a = new SyntheticSignal(new SyntheticOptions { Series = 3, Seed = 7 });
        var b = new SyntheticSignal(new SyntheticOptions { Series = 3, Seed = 8 });

        int differentSeed = 0;
        int differentSeries = 0;
        for (long t = At; t < At + 100_000; t += 1000)
        {
            differentSeed += a.ValueAt(0, t) != b.ValueAt(0, t) ? 1 : 0;
            differentSeries += a.NormalValueAt(0, t) - 50 != a.NormalValueAt(10, t) - 50 ? 1 : 0;
        }

        Assert.True(differentSeed > 90, $"only {differentSeed} of 100 samples differ between seeds");
        Assert.True(differentSeries > 90, $"only {differentSeries} of 100 samples differ between series");
    }

    [Fact]
    public void ValueAt_NoFaults_StaysWithinBasePlusAmplitudePlusNoise()
    {
        var signal = new SyntheticSignal(new SyntheticOptions { Series = 1, Amplitude = 10, Noise = 1 });

        for (long t = At; t < At + 3_600_000; t += 1000)
        {
            double value = signal.ValueAt(0, t);
            Assert.InRange(value, 50 - 11.01, 50 + 11.01);
        }
    }

    [Fact]
    public void ValueAt_LevelShift_AddsMagnitudeOnlyInsideWindowAndOnlyToChosenSeries()
    {
        var options = new SyntheticOptions
        {
            Series = 2,
            Faults = [new SyntheticFault { Kind = SyntheticFaultKind.LevelShift, Start = FaultStart, Duration = TimeSpan.FromMinutes(1), Magnitude = 100, SeriesIndexes = [1] }],
        };
        var signal = new SyntheticSignal(options);

        Assert.Equal(signal.NormalValueAt(1, At - 1000), signal.ValueAt(1, At - 1000));
        Assert.Equal(Math.Round(signal.NormalValueAt(1, At) + 100, 2), signal.ValueAt(1, At));
        Assert.Equal(Math.Round(signal.NormalValueAt(1, At + 59_000) + 100, 2), signal.ValueAt(1, At + 59_000));
        Assert.Equal(signal.NormalValueAt(1, At + 60_000), signal.ValueAt(1, At + 60_000));
        Assert.Equal(signal.NormalValueAt(0, At), signal.ValueAt(0, At));
    }

    [Fact]
    public void ValueAt_Flatline_HoldsTheValueAtTheStart()
    {
        var options = new SyntheticOptions
        {
            Series = 1,
            Faults = [new SyntheticFault { Kind = SyntheticFaultKind.Flatline, Start = FaultStart }],
        };
        var signal = new SyntheticSignal(options);

        double frozen = signal.NormalValueAt(0, At);
        for (long t = At; t < At + 600_000; t += 1000)
        {
            Assert.Equal(frozen, signal.ValueAt(0, t));
        }
    }

    [Fact]
    public void BuildBatch_TwoSeriesTenSteps_OneSeriesEachWithPackedSamplesOnTheInterval()
    {
        var options = new SyntheticOptions { Series = 2 };
        var signal = new SyntheticSignal(options);

        TelemetryBatch batch = SyntheticBackfillService.BuildBatch(options, signal, At, At + 10_000, 1000);

        Assert.Equal(2, batch.Metrics.Count);
        MetricSeries second = batch.Metrics[1];
        Assert.Equal("synthetic.signal", second.Name);
        Assert.Equal("1", Assert.Single(second.Labels).Value);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => At + (i * 1000L)), second.TimestampsUnixMs);
        Assert.Equal(second.TimestampsUnixMs.Select(t => signal.ValueAt(1, t)), second.Values);
    }
}
