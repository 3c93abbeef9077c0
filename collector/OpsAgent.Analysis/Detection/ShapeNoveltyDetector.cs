namespace OpsAgent.Analysis.Detection;

/// <summary>
/// Novelty of the recent shape of a series: "has this series ever looked like this before?"
/// </summary>
/// <remarks>
/// Why this design: the best detectors on the NAB scoreboard (ARTime, HTM, CAD OSE) all ask whether the recent
/// behaviour is new rather than whether a single value is far from a mean. ARTime in particular clusters short
/// downsampled windows with adaptive resonance, calls a window anomalous when it founds a new category and then
/// masks further alarms for a while. This class keeps that idea in a form cheap enough for every series: samples
/// are folded into blocks (keeping the extreme of a block when it stands out, so that spikes survive), the last
/// <see cref="DetectorSettings.Window"/> blocks form a shape, and the shape is compared with a bounded set of
/// prototypes in raw units (Chebyshev distance; a shape farther than the vigilance from every prototype becomes a
/// new one, otherwise the nearest prototype moves towards it). Distances are divided by the range of values seen so
/// far, so no per-series scale is needed. Unlike the NAB entries, it is not told the file's minimum and maximum in
/// advance: everything is learned as the stream goes.
/// Cost: per block of <see cref="DetectorSettings.Step"/> samples, one pass over at most
/// <see cref="DetectorSettings.MaxPrototypes"/> × <see cref="DetectorSettings.Window"/> numbers.
/// </remarks>
internal sealed class ShapeNoveltyDetector
{
    private readonly DetectorSettings _settings;
    private readonly double[] _shape;
    private readonly double[] _prototypes;
    private readonly long[] _lastUsed;
    private readonly int[] _uses;
    private int _prototypeCount;

    private int _blockCount;
    private double _blockSum;
    private double _blockMin;
    private double _blockMax;
    private double _smoothed;

    private long _points;
    private double _rangeMin;
    private double _rangeMax;

    public ShapeNoveltyDetector(DetectorSettings settings)
    {
        _settings = settings;
        _shape = new double[settings.Window];
        _prototypes = new double[settings.MaxPrototypes * settings.Window];
        _lastUsed = new long[settings.MaxPrototypes];
        _uses = new int[settings.MaxPrototypes];
        ResetBlock();
    }

    /// <summary>
    /// Adds a sample. At the end of each block, returns the distance of the current shape from the nearest known
    /// one, in ranges (0 inside a block and while learning).
    /// </summary>
    public double Update(double value)
    {
        _blockCount++;
        _blockSum += value;
        _blockMin = Math.Min(_blockMin, value);
        _blockMax = Math.Max(_blockMax, value);
        if (_blockCount < _settings.Step)
        {
            return 0.0;
        }

        double point = BlockPoint();
        ResetBlock();
        return AddPoint(point);
    }

    private double BlockPoint()
    {
        double mean = _blockSum / _blockCount;
        if (_points == 0)
        {
            _smoothed = mean;
        }

        _smoothed = 0.5 * (_smoothed + mean);

        // Keep the extreme that is farther from the recent level, so that a one-sample spike survives downsampling;
        // small wiggles are flattened to the mean so that noise does not invent shapes.
        double extreme = Math.Abs(_blockMax - _smoothed) >= Math.Abs(_blockMin - _smoothed) ? _blockMax : _blockMin;
        double range = _rangeMax - _rangeMin;
        return Math.Abs(extreme - mean) > 0.1 * range ? extreme : mean;
    }

    private double AddPoint(double point)
    {
        int w = _settings.Window;
        Array.Copy(_shape, 1, _shape, 0, w - 1);
        _shape[w - 1] = point;
        long p = _points++;
        double range = _rangeMax - _rangeMin;
        if (p == 0)
        {
            _rangeMin = _rangeMax = point;
        }
        else
        {
            _rangeMin = Math.Min(_rangeMin, point);
            _rangeMax = Math.Max(_rangeMax, point);
        }

        if (p + 1 < w)
        {
            return 0.0;
        }

        int nearest = -1;
        double best = double.PositiveInfinity;
        for (int k = 0; k < _prototypeCount; k++)
        {
            var proto = _prototypes.AsSpan(k * w, w);
            double d = 0;
            for (int j = 0; j < w; j++)
            {
                d = Math.Max(d, Math.Abs(_shape[j] - proto[j]));
            }

            if (d < best)
            {
                best = d;
                nearest = k;
            }
        }

        // A constant history has no range: measure in a tiny fraction of the level instead, so that the first
        // movement of a flat series is news but rounding noise is not.
        double scale = range > 0 ? range : Math.Max(Math.Abs(point) * 1e-6, 1e-12);
        double distance = nearest < 0 ? 0.0 : best / scale;
        if (nearest < 0 || distance > _settings.Vigilance)
        {
            Learn(p);
        }
        else
        {
            var proto = _prototypes.AsSpan(nearest * w, w);
            double rate = 1.0 / Math.Min(_uses[nearest] + 1, 20);
            for (int j = 0; j < w; j++)
            {
                proto[j] += rate * (_shape[j] - proto[j]);
            }

            _uses[nearest]++;
            _lastUsed[nearest] = p;
        }

        bool warm = p + 1 >= w + _settings.WarmupPoints;
        return warm ? distance : 0.0;
    }

    private void Learn(long point)
    {
        int w = _settings.Window;
        int slot = _prototypeCount;
        if (slot == _settings.MaxPrototypes)
        {
            // Full: forget the prototype that has gone unused the longest.
            slot = 0;
            for (int k = 1; k < _prototypeCount; k++)
            {
                if (_lastUsed[k] < _lastUsed[slot])
                {
                    slot = k;
                }
            }
        }
        else
        {
            _prototypeCount++;
        }

        _shape.AsSpan().CopyTo(_prototypes.AsSpan(slot * w, w));
        _uses[slot] = 1;
        _lastUsed[slot] = point;
    }

    private void ResetBlock()
    {
        _blockCount = 0;
        _blockSum = 0;
        _blockMin = double.PositiveInfinity;
        _blockMax = double.NegativeInfinity;
    }

    public void Write(BinaryWriter writer)
    {
        int w = _settings.Window;
        writer.Write(_prototypeCount);
        for (int k = 0; k < _prototypeCount; k++)
        {
            for (int j = 0; j < w; j++)
            {
                writer.Write(_prototypes[(k * w) + j]);
            }

            writer.Write(_lastUsed[k]);
            writer.Write(_uses[k]);
        }

        foreach (double v in _shape)
        {
            writer.Write(v);
        }

        writer.Write(_blockCount);
        writer.Write(_blockSum);
        writer.Write(_blockMin);
        writer.Write(_blockMax);
        writer.Write(_smoothed);
        writer.Write(_points);
        writer.Write(_rangeMin);
        writer.Write(_rangeMax);
    }

    public void Read(BinaryReader reader)
    {
        int w = _settings.Window;
        int count = reader.ReadInt32();
        if (count < 0 || count > _settings.MaxPrototypes)
        {
            throw new InvalidDataException($"The checkpoint holds {count} shape prototypes; at most {_settings.MaxPrototypes} are allowed. Discard it and let the detector relearn.");
        }

        _prototypeCount = count;
        for (int k = 0; k < count; k++)
        {
            for (int j = 0; j < w; j++)
            {
                _prototypes[(k * w) + j] = reader.ReadDouble();
            }

            _lastUsed[k] = reader.ReadInt64();
            _uses[k] = reader.ReadInt32();
        }

        for (int j = 0; j < w; j++)
        {
            _shape[j] = reader.ReadDouble();
        }

        _blockCount = reader.ReadInt32();
        if (_blockCount < 0 || _blockCount >= _settings.Step)
        {
            throw new InvalidDataException("The shape detector's checkpoint does not fit the current configuration; discard it and let the detector relearn.");
        }

        _blockSum = reader.ReadDouble();
        _blockMin = reader.ReadDouble();
        _blockMax = reader.ReadDouble();
        _smoothed = reader.ReadDouble();
        _points = reader.ReadInt64();
        _rangeMin = reader.ReadDouble();
        _rangeMax = reader.ReadDouble();
    }
}
