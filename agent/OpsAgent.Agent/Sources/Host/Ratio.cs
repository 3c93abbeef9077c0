namespace OpsAgent.Agent.Sources.Host;

/// <summary>Turns a part and a whole into the utilisation values the host sources emit.</summary>
internal static class Ratio
{
    /// <summary>
    /// Returns <paramref name="part"/> / <paramref name="whole"/> rounded to four decimals, or false when the ratio
    /// is undefined (an empty whole) so that the caller emits nothing rather than NaN or a made-up zero.
    /// </summary>
    /// <remarks>
    /// Four decimals because the measurement is not more precise than that (CPU time comes in 10 ms ticks, a few
    /// hundred per interval; memory and disk usage move by more than 0.01 % between cycles anyway), and because a
    /// value with few decimals is compressed losslessly into a handful of bits by the store's decimal-aware codec,
    /// where a full-precision double costs most of its 64 bits on noise.
    /// </remarks>
    public static bool TryCompute(double part, double whole, out double ratio)
    {
        if (!(whole > 0) || double.IsNaN(part) || double.IsInfinity(whole))
        {
            ratio = 0;
            return false;
        }

        // Inputs are validated by the callers (no negative deltas); the clamp only absorbs floating-point error.
        ratio = Math.Round(Math.Clamp(part / whole, 0, 1), 4);
        return true;
    }
}
