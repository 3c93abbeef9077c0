namespace OpsAgent.Agent.Sources.Synthetic;

/// <summary>
/// The values of the synthetic source: a pure function of the options, the series index and the timestamp, so that
/// every run, every restart and every test that recomputes it gets the same numbers.
/// </summary>
internal sealed class SyntheticSignal(SyntheticOptions options)
{
    /// <summary>
    /// The value of series <paramref name="series"/> at <paramref name="unixMs"/>, faults included. A fault with a condition
    /// on real state applies only when <paramref name="conditionHolds"/> says its condition holds now (live samples); without
    /// it (the backfilled history) such faults never apply.
    /// </summary>
    public double ValueAt(int series, long unixMs, Func<SyntheticFault, bool>? conditionHolds = null)
    {
        double value = NormalValueAt(series, unixMs);
        foreach (SyntheticFault fault in options.Faults)
        {
            if (!fault.Covers(series, unixMs) || (fault.IsConditional && conditionHolds?.Invoke(fault) != true))
            {
                continue;
            }

            value = fault.Kind switch
            {
                SyntheticFaultKind.Flatline => NormalValueAt(series, fault.Start.ToUnixTimeMilliseconds()),
                _ => value + fault.Magnitude,
            };
        }

        return Math.Round(value, 2);
    }

    /// <summary>Base level plus a sine wave with a per-series phase plus bounded noise.</summary>
    public double NormalValueAt(int series, long unixMs)
    {
        double baseLevel = 50 + (5 * (series % 10));
        double phase = series * 0.7;
        double seconds = unixMs / 1000.0;
        double wave = options.Amplitude * Math.Sin((2 * Math.PI * seconds / options.Period.TotalSeconds) + phase);
        double noise = options.Noise * ((2 * UnitNoise(options.Seed, series, unixMs)) - 1);
        return Math.Round(baseLevel + wave + noise, 2);
    }

    // SplitMix64 of (seed, series, time): cheap, stateless and identical on every platform.
    private static double UnitNoise(ulong seed, int series, long unixMs)
    {
        ulong x = seed ^ ((ulong)(uint)series * 0x9E3779B97F4A7C15UL) ^ ((ulong)unixMs * 0xBF58476D1CE4E5B9UL);
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (x >> 11) * (1.0 / (1UL << 53));
    }
}
