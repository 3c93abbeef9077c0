namespace OpsAgent.Analysis.Tests.Detection;

/// <summary>Deterministic synthetic series at 5-minute steps: a daily cycle plus Gaussian noise, and faults added on top.</summary>
internal static class SyntheticSeries
{
    public const long StepMs = 300_000;
    public const int SamplesPerDay = 288;

    public static double[] Seasonal(int samples, double level, double amplitude, double noise, int seed)
    {
        var random = new Random(seed);
        var values = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            double season = amplitude * Math.Sin(2 * Math.PI * i / SamplesPerDay);
            values[i] = level + season + (noise * Gaussian(random));
        }

        return values;
    }

    public static long[] Timestamps(int samples) => Enumerable.Range(0, samples).Select(i => 1_700_000_000_000L + (i * StepMs)).ToArray();

    public static double[] Score(double[] values) => Score(Timestamps(values.Length), values);

    public static double[] Score(long[] timestamps, double[] values)
    {
        var detector = new OpsAgent.Analysis.Detection.AnomalyDetector();
        return values.Select((v, i) => detector.Update(timestamps[i], v)).ToArray();
    }

    public static double Max(double[] scores, int from, int to) => scores.Skip(from).Take(to - from).Max();

    private static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
