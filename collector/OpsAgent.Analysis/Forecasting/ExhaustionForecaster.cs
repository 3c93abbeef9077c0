using MathNet.Numerics;

namespace OpsAgent.Analysis.Forecasting;

/// <summary>
/// Streaming time-to-exhaustion forecast for one resource that runs out (a filesystem's bytes or inodes, memory).
/// </summary>
/// <remarks>
/// Why this design: usage of such resources is a level that drifts with a slope (log growth, leaks) and is sometimes
/// cut down at once (log rotation, cleanup, restart). A linear trend fitted by exponentially weighted least squares
/// follows the slope in O(1) per sample with irregular timestamps, gives a standard error for the slope (hence a
/// confidence that usage rises and an interval for the time left), and forgets old behaviour smoothly. Holt's
/// smoothing gives the same level and slope but no honest interval. A sudden drop far below the trend (a deletion)
/// restarts the fit, because the old slope says nothing about the time left after a cleanup until the new trend
/// is seen. A warning is raised only when the resource is likely to run out within the horizon, the slope is
/// confidently positive and the trend has been watched long enough; it is dropped with hysteresis.
/// </remarks>
public sealed class ExhaustionForecaster
{
    private const double MsPerHour = 3_600_000.0;
    private const double IntervalSigmas = 2.0;
    private const int CheckpointMagic = 0x4F41_4631; // "OAF1"

    private readonly ForecastPolicy _policy;
    private readonly double _decayPerHour;

    // Weighted sums over samples with time t in hours relative to the latest sample (so now is t = 0).
    private double _s0;
    private double _s1;
    private double _s2;
    private double _sy;
    private double _sty;
    private double _syy;
    private double _sw2;
    private long _lastMs;
    private long _trendStartMs;
    private bool _started;
    private bool _warning;

    public ExhaustionForecaster(ForecastPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var errors = policy.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid forecast policy: " + string.Join(" ", errors), nameof(policy));
        }

        _policy = policy;
        _decayPerHour = Math.Log(2) / policy.TrendHalfLife.TotalHours;
    }

    /// <summary>Adds one sample of usage against its capacity and returns the forecast as of this sample.</summary>
    /// <param name="timestampMs">Unix ms; samples must arrive in time order (a step back counts as no time passing).</param>
    /// <param name="used">Usage now (bytes, inodes, a fraction...).</param>
    /// <param name="capacity">The value of <paramref name="used"/> at which the resource is exhausted, in the same unit.</param>
    public ExhaustionForecast Update(long timestampMs, double used, double capacity)
    {
        if (!double.IsFinite(used) || !double.IsFinite(capacity) || capacity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(used), $"Usage {used} of capacity {capacity} is not a finite usage of a positive capacity.");
        }

        if (!_started)
        {
            _started = true;
            _lastMs = timestampMs;
            _trendStartMs = timestampMs;
        }

        double dt = Math.Max(0, timestampMs - _lastMs) / MsPerHour;
        _lastMs = Math.Max(_lastMs, timestampMs);
        Shift(dt);

        if (Fit(out double level, out _, out double sigma, out _) && used < level - Math.Max(4 * sigma, 0.02 * capacity))
        {
            // A cleanup: the old slope no longer describes what is left.
            Reset(timestampMs);
        }

        _s0 += 1;
        _sy += used;
        _syy += used * used;
        _sw2 += 1;
        return Forecast(timestampMs, used, capacity);
    }

    private ExhaustionForecast Forecast(long timestampMs, double used, double capacity)
    {
        if (!Fit(out double level, out double slope, out _, out double slopeError))
        {
            _warning = false;
            return new ExhaustionForecast(used, 0, null, null, null, 0, false);
        }

        double remaining = Math.Max(0, capacity - level);
        double confidence = slopeError > 0 ? Normal(slope / slopeError) : slope > 0 ? 1.0 : 0.0;
        TimeSpan? eta = null, earliest = null, latest = null;
        if (slope > 0)
        {
            eta = Hours(remaining / slope);
            earliest = Hours(remaining / (slope + (IntervalSigmas * slopeError)));
            double slow = slope - (IntervalSigmas * slopeError);
            latest = slow > 0 ? Hours(remaining / slow) : null;
        }

        bool watchedLongEnough = timestampMs - _trendStartMs >= (long)_policy.MinHistory.TotalMilliseconds;
        if (!_warning)
        {
            _warning = watchedLongEnough && confidence >= _policy.MinConfidence && eta is { } e && e <= _policy.Horizon;
        }
        else if (eta is null || eta > _policy.Horizon * _policy.ClearFactor)
        {
            _warning = false;
        }

        return new ExhaustionForecast(level, slope, eta, earliest, latest, confidence, _warning);
    }

    private bool Fit(out double level, out double slope, out double sigma, out double slopeError)
    {
        level = slope = sigma = slopeError = 0;
        if (_s0 <= 0)
        {
            return false;
        }

        double meanT = _s1 / _s0, meanY = _sy / _s0;
        double sxx = _s2 - (_s1 * meanT);
        double sxy = _sty - (_s1 * meanY);
        double syy = _syy - (_sy * meanY);
        double effective = _sw2 > 0 ? _s0 * _s0 / _sw2 : 0;
        if (effective < 3 || sxx <= 1e-12 * _s0)
        {
            level = meanY;
            return false;
        }

        slope = sxy / sxx;
        level = meanY - (slope * meanT);
        double residual = Math.Max(0, syy - (slope * sxy)) / _s0;
        sigma = Math.Sqrt(residual * effective / (effective - 2));
        slopeError = Math.Sqrt(sigma * sigma * _s0 / (effective * sxx));
        return true;
    }

    private void Shift(double dt)
    {
        if (dt <= 0)
        {
            return;
        }

        double f = Math.Exp(-_decayPerHour * dt);
        _s2 = f * (_s2 - (2 * dt * _s1) + (dt * dt * _s0));
        _s1 = f * (_s1 - (dt * _s0));
        _sty = f * (_sty - (dt * _sy));
        _s0 *= f;
        _sy *= f;
        _syy *= f;
        _sw2 *= f * f;
    }

    private void Reset(long timestampMs)
    {
        _s0 = _s1 = _s2 = _sy = _sty = _syy = _sw2 = 0;
        _trendStartMs = timestampMs;
        _warning = false;
    }

    private static double Normal(double z) => 0.5 * (1 + SpecialFunctions.Erf(z / Math.Sqrt(2)));

    private static TimeSpan Hours(double hours) => hours >= TimeSpan.MaxValue.TotalHours / 2 ? TimeSpan.MaxValue : TimeSpan.FromHours(hours);

    /// <summary>Serialises the forecaster's state (the policy is not included: restore with the same policy).</summary>
    public byte[] Checkpoint()
    {
        using var stream = new MemoryStream(96);
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(CheckpointMagic);
            foreach (double sum in (ReadOnlySpan<double>)[_s0, _s1, _s2, _sy, _sty, _syy, _sw2])
            {
                writer.Write(sum);
            }

            writer.Write(_lastMs);
            writer.Write(_trendStartMs);
            writer.Write(_started);
            writer.Write(_warning);
        }

        return stream.ToArray();
    }

    /// <summary>Rebuilds a forecaster from <see cref="Checkpoint"/> output; it then forecasts exactly as the original would.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a checkpoint of this class.</exception>
    public static ExhaustionForecaster Restore(ForecastPolicy policy, ReadOnlySpan<byte> checkpoint)
    {
        var forecaster = new ExhaustionForecaster(policy);
        using var stream = new MemoryStream(checkpoint.ToArray(), writable: false);
        using var reader = new BinaryReader(stream);
        try
        {
            if (reader.ReadInt32() != CheckpointMagic)
            {
                throw new InvalidDataException("Not an exhaustion forecaster checkpoint (bad magic number); discard it and let the forecaster relearn.");
            }

            forecaster._s0 = reader.ReadDouble();
            forecaster._s1 = reader.ReadDouble();
            forecaster._s2 = reader.ReadDouble();
            forecaster._sy = reader.ReadDouble();
            forecaster._sty = reader.ReadDouble();
            forecaster._syy = reader.ReadDouble();
            forecaster._sw2 = reader.ReadDouble();
            forecaster._lastMs = reader.ReadInt64();
            forecaster._trendStartMs = reader.ReadInt64();
            forecaster._started = reader.ReadBoolean();
            forecaster._warning = reader.ReadBoolean();
            if (stream.Position != stream.Length)
            {
                throw new InvalidDataException("The exhaustion forecaster checkpoint has trailing bytes; discard it and let the forecaster relearn.");
            }
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("The exhaustion forecaster checkpoint is truncated; discard it and let the forecaster relearn.", ex);
        }

        return forecaster;
    }
}
