using OpsAgent.Protocol;

namespace OpsAgent.Collector.Storage;

/// <summary>
/// Per-step aggregation of raw samples. Steps are aligned to multiples of the step since the Unix epoch (so a
/// dashboard that refreshes gets the same points, and 5-minute rollups line up with any step that is a multiple of
/// five minutes); each point is stamped with its step's start and covers only samples inside the query range.
/// </summary>
internal static class SampleAggregator
{
    public static long StepStart(long timestamp, long step) => timestamp - (((timestamp % step) + step) % step);

    /// <summary>
    /// Aggregates sorted samples. Samples before <paramref name="start"/> are used only by <see cref="Aggregation.Rate"/>,
    /// as the previous sample of the first step.
    /// </summary>
    public static (long[] Timestamps, double[] Values) Aggregate(
        ReadOnlySpan<long> timestamps, ReadOnlySpan<double> values, long start, long end, long step, Aggregation aggregation)
    {
        var outTimes = new List<long>();
        var outValues = new List<double>();
        int i = 0;
        while (i < timestamps.Length && timestamps[i] < start)
        {
            i++;
        }

        var bucket = new List<double>();
        while (i < timestamps.Length && timestamps[i] <= end)
        {
            long bucketStart = StepStart(timestamps[i], step);
            long bucketEnd = bucketStart + step;
            int first = i;
            while (i < timestamps.Length && timestamps[i] < bucketEnd && timestamps[i] <= end)
            {
                i++;
            }

            ReadOnlySpan<double> slice = values[first..i];
            double result;
            switch (aggregation)
            {
                case Aggregation.Avg:
                    result = Sum(slice) / slice.Length;
                    break;
                case Aggregation.Min:
                    result = slice[0];
                    foreach (double v in slice)
                    {
                        result = Math.Min(result, v);
                    }

                    break;
                case Aggregation.Max:
                    result = slice[0];
                    foreach (double v in slice)
                    {
                        result = Math.Max(result, v);
                    }

                    break;
                case Aggregation.Sum:
                    result = Sum(slice);
                    break;
                case Aggregation.P95:
                    result = Percentile(slice, 0.95, bucket);
                    break;
                case Aggregation.Last:
                    result = slice[^1];
                    break;
                case Aggregation.Count:
                    result = slice.Length;
                    break;
                case Aggregation.Rate:
                    if (first == 0)
                    {
                        if (slice.Length < 2)
                        {
                            continue; // no earlier sample to measure an increase from
                        }

                        result = Increase(values[first..i]) / (step / 1000.0);
                    }
                    else
                    {
                        result = Increase(values[(first - 1)..i]) / (step / 1000.0);
                    }

                    break;
                default:
                    throw new ArgumentException($"Unknown aggregation {aggregation}.", nameof(aggregation));
            }

            outTimes.Add(bucketStart);
            outValues.Add(result);
        }

        return ([.. outTimes], [.. outValues]);
    }

    /// <summary>
    /// Increase of a counter over consecutive samples. A drop means the counter restarted from zero (process or host
    /// restart), so the increase across it is the new value itself, as in Prometheus' rate().
    /// </summary>
    public static double Increase(ReadOnlySpan<double> values)
    {
        double total = 0;
        for (int i = 1; i < values.Length; i++)
        {
            double delta = values[i] - values[i - 1];
            total += delta >= 0 ? delta : values[i];
        }

        return total;
    }

    /// <summary>Percentile with linear interpolation between closest ranks (numpy's default, "type 7").</summary>
    public static double Percentile(ReadOnlySpan<double> values, double quantile, List<double> scratch)
    {
        scratch.Clear();
        foreach (double v in values)
        {
            scratch.Add(v);
        }

        scratch.Sort();
        double rank = quantile * (scratch.Count - 1);
        int lower = (int)Math.Floor(rank);
        int upper = Math.Min(lower + 1, scratch.Count - 1);
        double fraction = rank - lower;
        return scratch[lower] + ((scratch[upper] - scratch[lower]) * fraction);
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }

        return sum;
    }
}
