using OpsAgent.Analysis.Evaluation;

namespace OpsAgent.Analysis.Tests.Evaluation;

public sealed class NabScorerTests
{
    private const double Tolerance = 1e-9;

    // S(-1) = 2 / (1 + e^-5) - 1 = 2 / 1.006737947 - 1 = 0.986614298
    private const double SigmoidAtMinusOne = 0.98661429815143;

    private static double[] Scores(int rows, params int[] detections)
    {
        var scores = new double[rows];
        foreach (int i in detections)
        {
            scores[i] = 1.0;
        }

        return scores;
    }

    [Fact]
    public void ScaledSigmoid_KnownPoints_MatchTheReadme()
    {
        Assert.Equal(SigmoidAtMinusOne, NabScorer.ScaledSigmoid(-1.0), 1e-12);
        Assert.Equal(0.0, NabScorer.ScaledSigmoid(0.0), 1e-12);
        Assert.Equal(-1.0, NabScorer.ScaledSigmoid(3.01));
        // S(1) = 2 / (1 + e^5) - 1 = 2 / 149.4131591 - 1 = -0.986614298
        Assert.Equal(-SigmoidAtMinusOne, NabScorer.ScaledSigmoid(1.0), 1e-12);
    }

    [Theory]
    [InlineData(20, 3)]       // floor(0.15 * 20) = 3
    [InlineData(4032, 604)]   // floor(604.8)
    [InlineData(5000, 750)]
    [InlineData(22695, 750)]  // capped
    public void ProbationaryRows_Rows_IsFifteenPercentCappedAt750(int rows, int expected)
        => Assert.Equal(expected, NabScorer.ProbationaryRows(rows));

    [Fact]
    public void Evaluate_DetectionInsideWindow_EarnsScaledSigmoidOfPosition()
    {
        // 20 rows, window rows 10..14 (w = 5, r = 14), one detection at row 12:
        // y = -(14 - 12 + 1) / 5 = -0.6; S(-0.6) = 2 / (1 + e^-3) - 1 = 0.905148254
        // worth 1 * 0.905148254 / 0.986614298 = 0.917428680
        var corpus = new[] { new NabSeries("f", Scores(20, 12), [new NabWindow(10, 14)]) };

        var result = NabScorer.Evaluate(corpus, NabProfile.Standard, 0.5);

        Assert.Equal(0.9174286804284079, result.RawScore, Tolerance);
        Assert.Equal(-1.0, result.NullScore);
        Assert.Equal(1.0, result.PerfectScore);
        // 100 * (0.917428680 + 1) / (1 + 1) = 95.8714340
        Assert.Equal(95.8714340214204, result.NormalizedScore, 1e-7);
        Assert.Equal((1, 0, 0), (result.TruePositives, result.FalseNegatives, result.FalsePositives));
    }

    [Fact]
    public void Evaluate_WindowFirstRow_EarnsFullTruePositiveWeight()
    {
        // y = -(14 - 10 + 1) / 5 = -1: S(-1) / S(-1) = 1, so the perfect score.
        var corpus = new[] { new NabSeries("f", Scores(20, 10), [new NabWindow(10, 14)]) };

        Assert.Equal(100.0, NabScorer.Evaluate(corpus, NabProfile.Standard, 0.5).NormalizedScore, 1e-9);
    }

    [Fact]
    public void Evaluate_SeveralDetectionsInWindow_OnlyEarliestCounts()
    {
        // Rows 11 and 13 in window 10..14: only row 11 counts, y = -(14 - 11 + 1) / 5 = -0.8,
        // S(-0.8) = 2 / (1 + e^-4) - 1 = 0.964027580; / 0.986614298 = 0.977106841. No false positive.
        var corpus = new[] { new NabSeries("f", Scores(20, 11, 13), [new NabWindow(10, 14)]) };

        var result = NabScorer.Evaluate(corpus, NabProfile.Standard, 0.5);

        Assert.Equal(0.9771068409226045, result.RawScore, Tolerance);
        Assert.Equal(0, result.FalsePositives);
    }

    [Fact]
    public void Evaluate_FalsePositiveAfterWindow_WeightedByDistanceFromIt()
    {
        // Window rows 5..7 (w = 3, r = 7) missed: -1. Detection at row 9: d = (9 - 7) / (3 - 1) = 1,
        // cost 0.11 * S(1) = 0.11 * -0.986614298 = -0.108527573. Raw = -1.108527573.
        var corpus = new[] { new NabSeries("f", Scores(20, 9), [new NabWindow(5, 7)]) };

        var result = NabScorer.Evaluate(corpus, NabProfile.Standard, 0.5);

        Assert.Equal(-1.10852757279665734, result.RawScore, Tolerance);
        Assert.Equal((0, 1, 1), (result.TruePositives, result.FalseNegatives, result.FalsePositives));
    }

    [Fact]
    public void Evaluate_FalsePositiveBeforeAnyWindow_CostsFullWeight()
    {
        // Rows 4 and 6 are before window 10..14: 2 * -0.22 under reward_low_FP_rate; the window is missed: -1.
        var corpus = new[] { new NabSeries("f", Scores(20, 4, 6), [new NabWindow(10, 14)]) };

        var result = NabScorer.Evaluate(corpus, NabProfile.RewardLowFalsePositiveRate, 0.5);

        Assert.Equal(-1.44, result.RawScore, Tolerance);
    }

    [Fact]
    public void Evaluate_DetectionInProbationaryPeriod_IsIgnored()
    {
        // 20 rows: rows 0..2 are probationary. A detection at row 1 neither costs nor earns; no windows: raw 0.
        var corpus = new[] { new NabSeries("f", Scores(20, 1), []) };

        var result = NabScorer.Evaluate(corpus, NabProfile.Standard, 0.5);

        Assert.Equal(0.0, result.RawScore);
        Assert.Equal(0, result.FalsePositives);
    }

    [Fact]
    public void Evaluate_MissedWindowUnderLowFalseNegativeProfile_CostsTwo()
    {
        var corpus = new[] { new NabSeries("f", Scores(20), [new NabWindow(10, 14)]) };

        var result = NabScorer.Evaluate(corpus, NabProfile.RewardLowFalseNegativeRate, 0.5);

        // null = -2, perfect = 1: 100 * (-2 + 2) / 3 = 0
        Assert.Equal(-2.0, result.RawScore);
        Assert.Equal(0.0, result.NormalizedScore);
    }

    [Fact]
    public void Optimize_TwoCandidateThresholds_PicksTheBetterOne()
    {
        // Row 4 (before the window) scores 0.95, row 12 (in window 10..14) scores 0.9, everything else 0.
        // threshold 0.95: row 4 only -> -0.11 - 1 (missed)          = -1.11
        // threshold 0.9:  rows 4, 12 -> -0.11 + 0.917428680          =  0.807428680
        // threshold 0:    every scored row from 3 on: 8 more false positives before the window (3, 5..9 and
        //                 after it 15..19 are weighted by distance) -> clearly lower. Best: 0.9.
        var scores = new double[20];
        scores[4] = 0.95;
        scores[12] = 0.9;
        var corpus = new[] { new NabSeries("f", scores, [new NabWindow(10, 14)]) };

        var result = NabScorer.Optimize(corpus, NabProfile.Standard);

        Assert.Equal(0.9, result.Threshold);
        Assert.Equal(0.8074286804284079, result.RawScore, Tolerance);
    }

    [Fact]
    public void Optimize_RandomCorpus_MatchesBruteForceOverEveryDistinctScore()
    {
        var random = new Random(12345);
        var corpus = Enumerable.Range(0, 4).Select(f =>
        {
            int rows = 200 + (f * 37);
            var scores = Enumerable.Range(0, rows).Select(_ => Math.Round(random.NextDouble(), 2)).ToArray();
            var windows = new List<NabWindow> { new(60 + f, 80 + f), new(120, 150 + f) };
            return new NabSeries($"f{f}", scores, windows);
        }).ToArray();

        foreach (var profile in NabProfile.All)
        {
            var best = corpus.SelectMany(s => s.Scores).Distinct()
                .Select(t => NabScorer.Evaluate(corpus, profile, t).RawScore).Max();

            Assert.Equal(best, NabScorer.Optimize(corpus, profile).RawScore, 1e-9);
        }
    }

    [Fact]
    public void WindowsFromTimestamps_RepeatedAndSteppingBackTimestamps_SpanFirstToLastRowInside()
    {
        // Rows: 0,10,10,20,15,30,40 ms. Window [10, 20] holds rows 1, 2, 3, 4 (the step back to 15 is inside).
        long[] ts = [0, 10, 10, 20, 15, 30, 40];

        var windows = NabScorer.WindowsFromTimestamps(ts, [(10, 20), (35, 45)]);

        Assert.Equal([new NabWindow(1, 4), new NabWindow(6, 6)], windows);
    }

    [Fact]
    public void WindowsFromTimestamps_WindowWithoutRows_IsLeftOut()
        => Assert.Empty(NabScorer.WindowsFromTimestamps([0L, 100L], [(10, 20)]));
}
