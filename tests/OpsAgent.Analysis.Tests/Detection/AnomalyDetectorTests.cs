using OpsAgent.Analysis.Alerting;
using OpsAgent.Analysis.Detection;

namespace OpsAgent.Analysis.Tests.Detection;

public sealed class AnomalyDetectorTests
{
    private const int Samples = 4000;
    private const int Fault = 3000;
    private const int Learned = 1000;

    [Fact]
    public void Update_CleanSeasonalSeries_StaysQuietAfterLearning()
    {
        var values = SyntheticSeries.Seasonal(Samples, 50, 20, 1, seed: 1);

        var scores = SyntheticSeries.Score(values);

        Assert.True(SyntheticSeries.Max(scores, Learned, Samples) < 0.2, $"max {SyntheticSeries.Max(scores, Learned, Samples)}");
    }

    [Fact]
    public void Update_Spike_ScoresHighAtTheSpike()
    {
        var values = SyntheticSeries.Seasonal(Samples, 50, 20, 1, seed: 2);
        values[Fault] += 60;

        var scores = SyntheticSeries.Score(values);

        double atFault = SyntheticSeries.Max(scores, Fault, Fault + 10);
        Assert.True(atFault >= 0.5, $"score at the spike {atFault}");
        Assert.True(SyntheticSeries.Max(scores, Learned, Fault) < 0.2, $"max score in [Learned..Fault) is {SyntheticSeries.Max(scores, Learned, Fault)}");
    }

    [Fact]
    public void Update_LevelShift_ScoresHighSoonAfterTheShift()
    {
        var values = SyntheticSeries.Seasonal(Samples, 50, 20, 1, seed: 3);
        for (int i = Fault; i < Samples; i++)
        {
            values[i] += 40;
        }

        var scores = SyntheticSeries.Score(values);

        Assert.True(SyntheticSeries.Max(scores, Fault, Fault + 20) >= 0.5, $"max score in [Fault..Fault + 20) is {SyntheticSeries.Max(scores, Fault, Fault + 20)}");
        Assert.True(SyntheticSeries.Max(scores, Learned, Fault) < 0.2, $"max score in [Learned..Fault) is {SyntheticSeries.Max(scores, Learned, Fault)}");
    }

    [Fact]
    public void Update_TrendChange_ScoresHighOnceTheTrendLeavesTheUsualRange()
    {
        var values = SyntheticSeries.Seasonal(Samples, 50, 20, 1, seed: 4);
        for (int i = Fault; i < Samples; i++)
        {
            values[i] += 0.2 * (i - Fault);
        }

        var scores = SyntheticSeries.Score(values);

        Assert.True(SyntheticSeries.Max(scores, Fault, Fault + 300) >= 0.5, $"max score in [Fault..Fault + 300) is {SyntheticSeries.Max(scores, Fault, Fault + 300)}");
        Assert.True(SyntheticSeries.Max(scores, Learned, Fault) < 0.2, $"max score in [Learned..Fault) is {SyntheticSeries.Max(scores, Learned, Fault)}");
    }

    [Fact]
    public void Update_SeasonalPatternBreaks_ScoresHigh()
    {
        // The daily cycle stops: the series stays flat at its low for half a day, a shape never seen before.
        var values = SyntheticSeries.Seasonal(Samples, 50, 20, 1, seed: 5);
        for (int i = Fault; i < Fault + 144; i++)
        {
            values[i] = 30;
        }

        var scores = SyntheticSeries.Score(values);

        Assert.True(SyntheticSeries.Max(scores, Fault, Fault + 144) >= 0.5, $"max score in [Fault..Fault + 144) is {SyntheticSeries.Max(scores, Fault, Fault + 144)}");
    }

    [Fact]
    public void Update_BusyPeriodEndsHoursEarly_ScoresHighOnlyFromTheDailyProfile()
    {
        // Busy (80) from 09:00 to 17:00 every day, quiet (20) otherwise, small noise. On day 12 the busy period
        // ends at 12:00: every value and every short shape of that day was seen before; only the time of day is new.
        const int samples = 14 * SyntheticSeries.SamplesPerDay;
        int faultDay = 12;
        var random = new Random(11);
        var values = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            int day = i / SyntheticSeries.SamplesPerDay;
            double hour = (i % SyntheticSeries.SamplesPerDay) / 12.0;
            bool busy = hour >= 9 && hour < (day == faultDay ? 12 : 17);
            values[i] = (busy ? 80 : 20) + random.NextDouble();
        }

        // Timestamps start at midnight UTC so that hours of the day line up with the pattern.
        var timestamps = Enumerable.Range(0, samples).Select(i => 1_700_006_400_000L + (i * SyntheticSeries.StepMs)).ToArray();
        var scores = SyntheticSeries.Score(timestamps, values);
        int noonOfFault = (faultDay * SyntheticSeries.SamplesPerDay) + (12 * 12);

        Assert.True(SyntheticSeries.Max(scores, noonOfFault, noonOfFault + 60) >= 0.5, $"max score after the early end {SyntheticSeries.Max(scores, noonOfFault, noonOfFault + 60)}");
        Assert.True(SyntheticSeries.Max(scores, 8 * SyntheticSeries.SamplesPerDay, faultDay * SyntheticSeries.SamplesPerDay) < 0.5);
    }

    [Fact]
    public void Update_MetricFreezes_ScoresTheFreezeOnce()
    {
        // A jittery series whose source freezes for a day: no value or shape is new, only the stillness.
        var values = SyntheticSeries.Seasonal(Samples, 50, 20, 2, seed: 12);
        for (int i = Fault; i < Fault + SyntheticSeries.SamplesPerDay; i++)
        {
            values[i] = values[Fault - 1];
        }

        var scores = SyntheticSeries.Score(values);
        int alarms = scores.Skip(Fault).Take(SyntheticSeries.SamplesPerDay).Count(s => s >= 0.5);

        Assert.InRange(alarms, 1, 2);
    }

    [Fact]
    public void Update_ConstantSeries_AlwaysZero()
    {
        var values = Enumerable.Repeat(42.0, Samples).ToArray();

        Assert.All(SyntheticSeries.Score(values), s => Assert.Equal(0.0, s));
    }

    [Fact]
    public void Update_ConstantSeriesThatMoves_ScoresTheMove()
    {
        var values = Enumerable.Repeat(42.0, Samples).ToArray();
        for (int i = Fault; i < Samples; i++)
        {
            values[i] = 43.0;
        }

        Assert.True(SyntheticSeries.Max(SyntheticSeries.Score(values), Fault, Fault + 20) >= 0.5);
    }

    [Fact]
    public void Update_AnyInput_ScoresStayInUnitInterval()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, Samples).Select(i => random.NextDouble() < 0.01 ? 1e12 : random.NextDouble() * 1e-9).ToArray();

        Assert.All(SyntheticSeries.Score(values), s => Assert.InRange(s, 0.0, 1.0));
    }

    [Fact]
    public void Update_IrregularTimestampsWithGapsRepeatsAndStepBack_StaysQuietOnCleanData()
    {
        var values = SyntheticSeries.Seasonal(Samples, 50, 20, 1, seed: 9);
        var random = new Random(9);
        var timestamps = new long[Samples];
        long t = 1_700_000_000_000;
        for (int i = 0; i < Samples; i++)
        {
            // Mostly 5-minute steps, some repeats, a few long gaps and one step back.
            t += i == 2500 ? -600_000 : random.NextDouble() < 0.05 ? 0 : random.NextDouble() < 0.01 ? 3_600_000 : SyntheticSeries.StepMs;
            timestamps[i] = t;
        }

        var scores = SyntheticSeries.Score(timestamps, values);

        Assert.True(SyntheticSeries.Max(scores, Learned, Samples) < 0.5, $"max score {SyntheticSeries.Max(scores, Learned, Samples)}");
    }

    [Fact]
    public void Update_LowCountRate_RaisesNoAlertUntilABurst()
    {
        // A counter turned into a rate: small integers (requests per interval), then a burst ten times the usual.
        // Pure noise still breaks its recent record now and then (scores above 0.5 about once per thousand samples,
        // the price of catching subtle NAB anomalies), so the guarantee is at the alert level: no immediate-level
        // score and no alert from the default policy before the burst, an alert at the burst.
        var random = new Random(10);
        var values = Enumerable.Range(0, Samples).Select(_ => (double)Poisson(random, 3)).ToArray();
        for (int i = Fault; i < Fault + 6; i++)
        {
            values[i] = 40;
        }

        var timestamps = SyntheticSeries.Timestamps(Samples);
        var scores = SyntheticSeries.Score(timestamps, values);
        var alerts = new AlertStateMachine(AlertPolicy.Default);
        var raised = Enumerable.Range(0, Samples).Where(i => alerts.Update(timestamps[i], scores[i]) == AlertTransition.Raised).ToList();

        Assert.True(SyntheticSeries.Max(scores, Learned, Fault) < AlertPolicy.Default.ImmediateThreshold);
        Assert.Equal(Fault, Assert.Single(raised, i => i >= Learned));
    }

    private static int Poisson(Random random, double mean)
    {
        double limit = Math.Exp(-mean), p = 1;
        int k = 0;
        do
        {
            k++;
            p *= random.NextDouble();
        }
        while (p > limit);
        return k - 1;
    }

    [Fact]
    public void Update_NonFiniteValue_IsIgnored()
    {
        var detector = new AnomalyDetector();
        detector.Update(0, 1.0);

        Assert.Equal(0.0, detector.Update(1, double.NaN));
        Assert.Equal(0.0, detector.Update(2, double.PositiveInfinity));
        Assert.Equal(1, detector.Count);
    }

    [Theory]
    [InlineData(7)]      // before anything is learned
    [InlineData(700)]    // mid-block, shapes and ranges learning
    [InlineData(2003)]   // daily profile about to be trusted
    [InlineData(3205)]   // inside a frozen stretch
    [InlineData(3530)]   // inside a drift
    public void Restore_CheckpointMidStream_GivesIdenticalScores(int at)
    {
        // A series with every kind of event: a spike, a frozen stretch, a drift, a level shift.
        var values = SyntheticSeries.Seasonal(Samples, 50, 20, 3, seed: 8);
        values[2500] += 80;
        for (int i = 3100; i < 3300; i++)
        {
            values[i] = 42;
        }

        for (int i = 3400; i < 3700; i++)
        {
            values[i] += 0.3 * (i - 3400);
        }

        for (int i = 3700; i < Samples; i++)
        {
            values[i] += 200;
        }

        var timestamps = SyntheticSeries.Timestamps(Samples);
        var original = new AnomalyDetector();
        for (int i = 0; i < at; i++)
        {
            original.Update(timestamps[i], values[i]);
        }

        var restored = AnomalyDetector.Restore(original.Checkpoint());

        for (int i = at; i < Samples; i++)
        {
            Assert.Equal(original.Update(timestamps[i], values[i]), restored.Update(timestamps[i], values[i]));
        }

        Assert.Equal(original.Checkpoint(), restored.Checkpoint());
    }

    [Fact]
    public void Restore_Garbage_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => AnomalyDetector.Restore([1, 2, 3]));
        var checkpoint = new AnomalyDetector().Checkpoint();
        Assert.Throws<InvalidDataException>(() => AnomalyDetector.Restore(checkpoint.AsSpan(0, checkpoint.Length - 1)));
    }

    [Fact]
    public void Baseline_AfterLearning_IsTheUsualBandAndFollowsAShift()
    {
        // A daily cycle between 30 and 70: block medians span most of it.
        var values = SyntheticSeries.Seasonal(Samples, 50, 20, 1, seed: 13);
        var timestamps = SyntheticSeries.Timestamps(Samples);
        var detector = new AnomalyDetector();
        Assert.False(detector.Baseline.IsKnown);
        for (int i = 0; i < Fault; i++)
        {
            detector.Update(timestamps[i], values[i]);
        }

        DetectorBaseline usual = detector.Baseline;
        Assert.True(usual.IsKnown);
        Assert.InRange(usual.UsualLow, 28, 36);
        Assert.InRange(usual.UsualHigh, 64, 72);
        Assert.InRange(usual.Range, 38, 48);
        Assert.False(usual.Frozen);
        Assert.True(usual.Contains(values[Fault - 1], 0.25));
        Assert.False(usual.Contains(150, 0.25));

        for (int i = Fault; i < Fault + 5; i++)
        {
            detector.Update(timestamps[i], values[i] + 100);
        }

        Assert.InRange(detector.Baseline.Level, 120, 180);
        Assert.False(usual.Contains(detector.Baseline.Level, 0.25));
    }

    [Fact]
    public void Baseline_MetricFreezes_ReportsFrozen()
    {
        var values = SyntheticSeries.Seasonal(Samples, 50, 20, 2, seed: 14);
        var timestamps = SyntheticSeries.Timestamps(Samples);
        var detector = new AnomalyDetector();
        for (int i = 0; i < Fault + 100; i++)
        {
            detector.Update(timestamps[i], i < Fault ? values[i] : values[Fault - 1]);
        }

        Assert.True(detector.Baseline.Frozen);
    }

    [Fact]
    public void Contains_UnknownBandOrFlatSeries_IsLenientWhereNothingIsKnown()
    {
        Assert.True(new DetectorBaseline(5, double.NaN, double.NaN, 0, false).Contains(1e9, 0.25));
        // A flat series' band is widened to a tenth of its range on each side of the margin.
        var flat = new DetectorBaseline(10, 10, 10, 4, false);
        Assert.True(flat.Contains(10.1, 0.25));
        Assert.False(flat.Contains(11, 0.25));
    }
}
