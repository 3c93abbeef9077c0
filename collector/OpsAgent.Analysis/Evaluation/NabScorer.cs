namespace OpsAgent.Analysis.Evaluation;

/// <summary>
/// The Numenta Anomaly Benchmark's scoring rules, implemented from their written description
/// (see shared/datasets/README.md): probationary period, windows, scaled sigmoid, earliest detection per window,
/// false positives weighted by their distance from the preceding window, one threshold for the whole corpus chosen
/// among every distinct score, and normalisation between the null and the perfect detector.
/// </summary>
public static class NabScorer
{
    /// <summary>NAB's probationary fraction of each file.</summary>
    public const double ProbationaryFraction = 0.15;

    /// <summary>NAB caps the probationary period at 0.15 * 5000 rows.</summary>
    public const int MaxProbationaryRows = 750;

    private static readonly double SigmoidAtMinusOne = ScaledSigmoid(-1.0);

    /// <summary>S(y) = 2 / (1 + e^(5y)) - 1, and -1 for y &gt; 3.</summary>
    public static double ScaledSigmoid(double y) => y > 3.0 ? -1.0 : (2.0 / (1.0 + Math.Exp(5.0 * y))) - 1.0;

    /// <summary>Rows at the start of a file that are not scored: min(floor(0.15 * rows), 750).</summary>
    public static int ProbationaryRows(int rows) => Math.Min((int)Math.Floor(ProbationaryFraction * rows), MaxProbationaryRows);

    /// <summary>
    /// Maps windows given as inclusive timestamp ranges to row ranges: a window spans from the first to the last row
    /// whose timestamp lies in it (rows are in input order, so a timestamp that steps back is still placed by row).
    /// A window that holds no row is left out, since no detector could catch it.
    /// </summary>
    public static IReadOnlyList<NabWindow> WindowsFromTimestamps(IReadOnlyList<long> timestamps, IReadOnlyList<(long Start, long End)> windows)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        ArgumentNullException.ThrowIfNull(windows);
        var result = new List<NabWindow>(windows.Count);
        foreach (var (start, end) in windows)
        {
            int first = -1, last = -1;
            for (int i = 0; i < timestamps.Count; i++)
            {
                if (timestamps[i] >= start && timestamps[i] <= end)
                {
                    if (first < 0)
                    {
                        first = i;
                    }

                    last = i;
                }
            }

            if (first >= 0)
            {
                result.Add(new NabWindow(first, last));
            }
        }

        result.Sort((a, b) => a.FirstRow.CompareTo(b.FirstRow));
        for (int k = 1; k < result.Count; k++)
        {
            if (result[k].FirstRow <= result[k - 1].LastRow)
            {
                throw new ArgumentException($"Windows overlap at rows {result[k - 1].FirstRow}-{result[k - 1].LastRow} and {result[k].FirstRow}-{result[k].LastRow}; NAB windows must be disjoint.", nameof(windows));
            }
        }

        return result;
    }

    /// <summary>Raw score of the null detector (every window missed).</summary>
    public static double NullScore(IEnumerable<NabSeries> corpus, NabProfile profile)
        => -profile.FalseNegativeWeight * corpus.Sum(s => s.Windows.Count);

    /// <summary>Raw score of the perfect detector (every window caught at its first row).</summary>
    public static double PerfectScore(IEnumerable<NabSeries> corpus, NabProfile profile)
        => profile.TruePositiveWeight * corpus.Sum(s => s.Windows.Count);

    /// <summary>Scores a corpus at one given threshold.</summary>
    public static NabResult Evaluate(IReadOnlyList<NabSeries> corpus, NabProfile profile, double threshold)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(profile);
        double raw = 0;
        int tp = 0, fn = 0, fp = 0;
        foreach (var series in corpus)
        {
            var costs = RowCosts.Build(series, profile);
            var windowBest = new double[series.Windows.Count];
            var caught = new bool[series.Windows.Count];
            for (int i = costs.FirstScoredRow; i < series.Scores.Count; i++)
            {
                if (series.Scores[i] < threshold)
                {
                    continue;
                }

                int w = costs.WindowOfRow[i];
                if (w >= 0)
                {
                    if (!caught[w])
                    {
                        // Rows are visited in order, so the first detection seen is the window's earliest (and best).
                        caught[w] = true;
                        windowBest[w] = costs.Value[i];
                    }
                }
                else
                {
                    raw += costs.Value[i];
                    fp++;
                }
            }

            for (int w = 0; w < caught.Length; w++)
            {
                if (caught[w])
                {
                    raw += windowBest[w];
                    tp++;
                }
                else
                {
                    raw -= profile.FalseNegativeWeight;
                    fn++;
                }
            }
        }

        return new NabResult(profile, threshold, raw, NullScore(corpus, profile), PerfectScore(corpus, profile), tp, fn, fp);
    }

    /// <summary>
    /// Chooses the threshold that maximises the corpus's raw score among every distinct score (the highest such
    /// threshold on a tie) and returns the result at that threshold. Runs in O(n log n) over all rows.
    /// </summary>
    public static NabResult Optimize(IReadOnlyList<NabSeries> corpus, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(profile);

        int totalRows = corpus.Sum(s => s.Scores.Count);
        var scores = new double[totalRows];
        var owners = new long[totalRows];
        var costs = new RowCosts[corpus.Count];
        var windowOffset = new int[corpus.Count];
        int windows = 0, n = 0;
        for (int f = 0; f < corpus.Count; f++)
        {
            costs[f] = RowCosts.Build(corpus[f], profile);
            windowOffset[f] = windows;
            windows += corpus[f].Windows.Count;
            for (int i = 0; i < corpus[f].Scores.Count; i++)
            {
                scores[n] = corpus[f].Scores[i];
                owners[n] = ((long)f << 32) | (uint)i;
                n++;
            }
        }

        // Highest scores first: lowering the threshold step by step only ever adds detections.
        Array.Sort(scores, owners);
        Array.Reverse(scores);
        Array.Reverse(owners);

        var earliest = new int[windows];
        Array.Fill(earliest, int.MaxValue);
        var windowValue = new double[windows];
        double total = NullScore(corpus, profile);
        double bestTotal = double.NegativeInfinity;
        double bestThreshold = double.PositiveInfinity;
        int j = 0;
        while (j < n)
        {
            double threshold = scores[j];
            while (j < n && scores[j].Equals(threshold))
            {
                int f = (int)(owners[j] >> 32);
                int i = (int)(owners[j] & 0xFFFFFFFF);
                j++;
                var c = costs[f];
                if (i < c.FirstScoredRow)
                {
                    continue;
                }

                int w = c.WindowOfRow[i];
                if (w < 0)
                {
                    total += c.Value[i];
                    continue;
                }

                int gw = windowOffset[f] + w;
                if (i < earliest[gw])
                {
                    double previous = earliest[gw] == int.MaxValue ? -profile.FalseNegativeWeight : windowValue[gw];
                    earliest[gw] = i;
                    windowValue[gw] = c.Value[i];
                    total += c.Value[i] - previous;
                }
            }

            if (total > bestTotal)
            {
                bestTotal = total;
                bestThreshold = threshold;
            }
        }

        // Recomputed directly so that the counts and the raw score come from one simple, independent pass.
        return Evaluate(corpus, profile, bestThreshold);
    }

    /// <summary>For one file and profile: which window each row is in, and what a detection on each row is worth.</summary>
    private sealed class RowCosts
    {
        private RowCosts(int rows, int firstScoredRow)
        {
            WindowOfRow = new int[rows];
            Value = new double[rows];
            FirstScoredRow = firstScoredRow;
        }

        public int[] WindowOfRow { get; }

        /// <summary>A_tp * S(y) / S(-1) inside a window; the (negative) false-positive cost outside.</summary>
        public double[] Value { get; }

        public int FirstScoredRow { get; }

        public static RowCosts Build(NabSeries series, NabProfile profile)
        {
            int rows = series.Scores.Count;
            var c = new RowCosts(rows, ProbationaryRows(rows));
            Array.Fill(c.WindowOfRow, -1);
            foreach (var (w, k) in series.Windows.Select((w, k) => (w, k)))
            {
                if (w.FirstRow < 0 || w.LastRow >= rows || w.LastRow < w.FirstRow)
                {
                    throw new ArgumentException($"Window {w.FirstRow}-{w.LastRow} of '{series.Name}' is outside its {rows} rows.", nameof(series));
                }

                for (int i = w.FirstRow; i <= w.LastRow; i++)
                {
                    if (c.WindowOfRow[i] >= 0)
                    {
                        throw new ArgumentException($"Windows of '{series.Name}' overlap at row {i}; NAB windows must be disjoint.", nameof(series));
                    }

                    c.WindowOfRow[i] = k;
                    double y = -(double)(w.LastRow - i + 1) / w.Width;
                    c.Value[i] = profile.TruePositiveWeight * ScaledSigmoid(y) / SigmoidAtMinusOne;
                }
            }

            int prevEnd = -1, prevWidth = 0;
            for (int i = 0; i < rows; i++)
            {
                int k = c.WindowOfRow[i];
                if (k >= 0)
                {
                    prevEnd = series.Windows[k].LastRow;
                    prevWidth = series.Windows[k].Width;
                    continue;
                }

                double weight;
                if (prevEnd < 0)
                {
                    weight = -1.0;
                }
                else
                {
                    // A one-row window has no width to measure distance in: any later detection is "far".
                    double d = prevWidth > 1 ? (double)(i - prevEnd) / (prevWidth - 1) : double.PositiveInfinity;
                    weight = ScaledSigmoid(d);
                }

                c.Value[i] = profile.FalsePositiveWeight * weight;
            }

            return c;
        }
    }
}
