namespace OpsAgent.Analysis.Detection;

/// <summary>
/// What the default detector currently takes as usual for its series, as of the last sample: the recent level, the
/// band in which the series' level usually stays, and whether the series is frozen. Callers use it to describe an
/// anomaly ("97 %, usually 10–40 %") and to decide that a signal has recovered (its level is back in the band that was
/// usual before the anomaly, and it moves again).
/// </summary>
/// <param name="Level">The median of the last few samples (NaN until that many were seen).</param>
/// <param name="UsualLow">Lowest level (block median) over the detector's horizon; NaN while learning.</param>
/// <param name="UsualHigh">Highest level (block median) over the detector's horizon; NaN while learning.</param>
/// <param name="Range">Width of the range of every sample over the horizon (0 while learning or on a constant series).</param>
/// <param name="Frozen">True while one value has repeated for longer than any run in the horizon (a stuck metric).</param>
public readonly record struct DetectorBaseline(double Level, double UsualLow, double UsualHigh, double Range, bool Frozen)
{
    /// <summary>True once the detector has learned enough for the band to mean something.</summary>
    public bool IsKnown => !double.IsNaN(UsualLow) && !double.IsNaN(UsualHigh);

    /// <summary>
    /// Whether <paramref name="level"/> lies in the usual band widened by <paramref name="margin"/> times its width (the
    /// width taken as at least a tenth of the range, so that a flat series' band is not a single value). True when the
    /// band is unknown: nothing says the level is unusual.
    /// </summary>
    public bool Contains(double level, double margin)
    {
        if (!IsKnown || double.IsNaN(level))
        {
            return true;
        }

        double width = Math.Max(UsualHigh - UsualLow, 0.1 * Range);
        double slack = Math.Max(margin * width, Math.Max(Math.Abs(UsualHigh), Math.Abs(UsualLow)) * 1e-9);
        return level >= UsualLow - slack && level <= UsualHigh + slack;
    }
}
