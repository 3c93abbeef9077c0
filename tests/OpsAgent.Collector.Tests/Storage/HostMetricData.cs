namespace OpsAgent.Collector.Tests.Storage;

/// <summary>
/// Deterministic synthetic host metrics shaped like what the agent collects at a 1 s interval: utilisation gauges
/// rounded to 4 decimals, byte counters (busy and idle), integer gauges, 2-decimal gauges and constant series.
/// </summary>
internal static class HostMetricData
{
    public static (long[] Timestamps, double[] Values) Generate(int kind, int samples, int seed, long start = 1_772_366_400_000, int jitterMs = 0)
    {
        var random = new Random(seed);
        var timestamps = new long[samples];
        var values = new double[samples];
        double level = random.NextDouble();
        double counter = random.Next(1_000_000, 1_000_000_000);
        for (int i = 0; i < samples; i++)
        {
            timestamps[i] = start + (i * 1000L) + (jitterMs == 0 ? 0 : random.Next(-jitterMs, jitterMs + 1));
            switch (kind % 5)
            {
                case 0: // utilisation: a drifting level with noise, rounded to 4 decimals
                    level = Math.Clamp(level + ((random.NextDouble() - 0.5) * 0.02), 0, 1);
                    values[i] = Math.Round(Math.Clamp(level + ((random.NextDouble() - 0.5) * 0.01), 0, 1), 4);
                    break;
                case 1: // busy byte counter
                    counter += random.Next(0, 20_000);
                    values[i] = counter;
                    break;
                case 2: // integer gauge: memory used, moving in pages now and then
                    if (random.Next(10) == 0)
                    {
                        counter += random.Next(-64, 64) * 4096;
                    }

                    values[i] = counter;
                    break;
                case 3: // 2-decimal gauge: load average, temperature
                    level = Math.Clamp(level + ((random.NextDouble() - 0.5) * 0.05), 0, 8);
                    values[i] = Math.Round(level, 2);
                    break;
                default: // constant: sizes, totals, idle interfaces
                    values[i] = 536_870_912_000;
                    break;
            }
        }

        return (timestamps, values);
    }
}
