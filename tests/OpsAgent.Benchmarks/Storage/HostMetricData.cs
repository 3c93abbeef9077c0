namespace OpsAgent.Benchmarks.Storage;

/// <summary>
/// Deterministic synthetic host metrics shaped like what the agent collects at a 1 s interval, in the proportions of
/// a typical host: utilisation gauges rounded to 4 decimals, byte counters (busy and idle), integer gauges
/// (memory in pages), 2-decimal gauges (load, temperature) and constant series (sizes, totals).
/// </summary>
internal static class HostMetricData
{
    public static double Value(int kind, ref double level, ref double counter, Random random)
    {
        switch (kind % 6)
        {
            case 0: // utilisation: a drifting level with noise, rounded to 4 decimals
                level = Math.Clamp(level + ((random.NextDouble() - 0.5) * 0.02), 0, 1);
                return Math.Round(Math.Clamp(level + ((random.NextDouble() - 0.5) * 0.01), 0, 1), 4);
            case 1: // busy byte counter
                counter += random.Next(0, 20_000);
                return counter;
            case 2: // integer gauge: memory used, moving in pages now and then
                if (random.Next(10) == 0)
                {
                    counter += random.Next(-64, 64) * 4096;
                }

                return counter;
            case 3: // 2-decimal gauge
                level = Math.Clamp(level + ((random.NextDouble() - 0.5) * 0.05), 0, 8);
                return Math.Round(level, 2);
            case 4: // idle interface counter
                return counter;
            default: // constant: sizes, totals
                return 536_870_912_000;
        }
    }

    public static (long[] Timestamps, double[] Values) Generate(int kind, int samples, int seed, long start, int jitterMs)
    {
        var random = new Random(seed);
        var timestamps = new long[samples];
        var values = new double[samples];
        double level = random.NextDouble();
        double counter = random.Next(1_000_000, 1_000_000_000);
        for (int i = 0; i < samples; i++)
        {
            timestamps[i] = start + (i * 1000L) + (jitterMs == 0 ? 0 : random.Next(-jitterMs, jitterMs + 1));
            values[i] = Value(kind, ref level, ref counter, random);
        }

        return (timestamps, values);
    }
}
