namespace OpsAgent.Collector.Tests.Detection;

/// <summary>Deterministic test series at 10-second steps (a host metric's interval): a cycle plus noise, faults on top.</summary>
internal static class Signals
{
    public const long StepMs = 10_000;
    public const long StartMs = 1_772_366_400_000; // 2026-03-01T12:00:00Z, StoreHarness.Start

    public static long[] Timestamps(int samples, long startMs = StartMs) =>
        Enumerable.Range(0, samples).Select(i => startMs + (i * StepMs)).ToArray();

    /// <summary>level + amplitude·sin(2πi/period) + Gaussian noise.</summary>
    public static double[] Cycle(int samples, double level, double amplitude, double noise, int seed, int period = 288)
    {
        var random = new Random(seed);
        var values = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            double gaussian = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            values[i] = level + (amplitude * Math.Sin(2 * Math.PI * i / period)) + (noise * gaussian);
        }

        return values;
    }

    public static double[] Shift(double[] values, int from, int to, double by)
    {
        var shifted = (double[])values.Clone();
        for (int i = from; i < Math.Min(to, shifted.Length); i++)
        {
            shifted[i] += by;
        }

        return shifted;
    }

    /// <summary>A counter whose rate follows <paramref name="ratePerSecond"/> (one rate per step).</summary>
    public static double[] Counter(double[] ratePerSecond, double start = 1_000_000)
    {
        var values = new double[ratePerSecond.Length];
        double total = start;
        for (int i = 0; i < values.Length; i++)
        {
            total += Math.Max(0, ratePerSecond[i]) * StepMs / 1000.0;
            values[i] = Math.Round(total);
        }

        return values;
    }
}
