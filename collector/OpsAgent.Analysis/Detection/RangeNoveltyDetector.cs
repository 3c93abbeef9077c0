namespace OpsAgent.Analysis.Detection;

/// <summary>
/// Record-breaking against a long trailing horizon, in two forms: a sample outside the range of every sample seen
/// (spikes), and the recent level (median of the last few samples) outside the band of block medians (level shifts
/// and trends, which a single old spike in the horizon would otherwise hide).
/// </summary>
/// <remarks>
/// Why: spikes, level shifts and trends that leave the usual band are the commonest faults in host metrics and in
/// NAB, and "higher than anything in the last days" is cheap and easy for an admin to understand. The horizon is a
/// ring of per-block minimum, maximum and median, so a sample costs O(1) amortised and a block O(blocks).
/// </remarks>
internal sealed class RangeNoveltyDetector
{
    private readonly DetectorSettings _settings;
    private readonly double[] _blockMin;
    private readonly double[] _blockMax;
    private readonly double[] _blockMedian;
    private readonly double[] _blockSpread;
    private readonly int[] _blockRun;
    private int _run;
    private double _previous = double.NaN;
    private int _longestRun;
    private double _spreadLow = double.PositiveInfinity;
    private double _spreadHigh = double.NegativeInfinity;
    private readonly double[] _blockValues;
    private readonly double[] _recent;
    private readonly double[] _sortBuffer;
    private int _blocks;
    private int _next;
    private int _inBlock;
    private int _recentNext;
    private int _recentHave;
    private double _low = double.PositiveInfinity;
    private double _high = double.NegativeInfinity;
    private double _levelLow = double.PositiveInfinity;
    private double _levelHigh = double.NegativeInfinity;
    private double _lagLow = double.PositiveInfinity;
    private double _lagHigh = double.NegativeInfinity;

    public RangeNoveltyDetector(DetectorSettings settings)
    {
        _settings = settings;
        _blockMin = new double[settings.RangeBlocks];
        _blockMax = new double[settings.RangeBlocks];
        _blockMedian = new double[settings.RangeBlocks];
        _blockSpread = new double[settings.RangeBlocks];
        _blockRun = new int[settings.RangeBlocks];
        _blockValues = new double[settings.RangeBlock];
        _recent = new double[settings.LevelSamples];
        _sortBuffer = new double[Math.Max(settings.RangeBlock, settings.LevelSamples)];
    }

    /// <summary>
    /// How far the recent level is outside the horizon's band of block medians, in widths of that band
    /// (0 inside or while learning); set by <see cref="Update"/>.
    /// </summary>
    public double LevelExceed { get; private set; }

    /// <summary>
    /// How far the recent level is outside the band of block medians that ended at least a lag ago (half a day of
    /// 5-minute samples): a slow drift that the plain band follows block by block still leaves this one.
    /// </summary>
    public double DriftExceed { get; private set; }

    /// <summary>
    /// How far the spread of the block just completed (mean absolute step between samples) is outside the band of
    /// block spreads over the horizon, as a log ratio: a series that turns much noisier, or goes flat when it never
    /// does; set by <see cref="Update"/> at the end of each block, 0 otherwise.
    /// </summary>
    public double SpreadExceed { get; private set; }

    /// <summary>
    /// How much longer the current run of one repeated value is than the longest run over the horizon, as a log
    /// ratio (a metric that froze: a stopped writer, a stuck sensor); 0 for short runs or on a series that never moved.
    /// </summary>
    public double StuckExceed { get; private set; }

    /// <summary>Width of the horizon's range (0 while nothing is known).</summary>
    public double Width => _high > _low ? _high - _low : 0.0;

    /// <summary>The recent level: the median of the last few samples (NaN until that many were seen).</summary>
    public double Level { get; private set; } = double.NaN;

    /// <summary>Lowest block median over the horizon (+∞ while no block is complete).</summary>
    public double LevelLow => _levelLow;

    /// <summary>Highest block median over the horizon (−∞ while no block is complete).</summary>
    public double LevelHigh => _levelHigh;

    /// <summary>True once enough blocks were seen for the bands to mean something.</summary>
    public bool Warm => _blocks >= _settings.RangeWarmupBlocks;

    /// <summary>Returns how far outside the horizon's range the value is (in ranges), 0 inside or while learning.</summary>
    public double Update(double value)
    {
        _recent[_recentNext] = value;
        _recentNext = (_recentNext + 1) % _recent.Length;
        _recentHave = Math.Min(_recentHave + 1, _recent.Length);
        TrackRun(value);

        if (_recentHave == _recent.Length)
        {
            Level = Median(_recent, _recentHave);
        }

        double exceed = 0;
        LevelExceed = 0;
        DriftExceed = 0;
        SpreadExceed = 0;
        if (_blocks >= _settings.RangeWarmupBlocks)
        {
            double range = _high - _low;
            double outside = Math.Max(value - _high, _low - value);
            if (outside > 0)
            {
                exceed = range > 0 ? outside / range : outside > Math.Max(Math.Abs(_high) * 1e-9, 1e-12) ? 1.0 : 0.0;
            }

            if (_recentHave == _recent.Length)
            {
                double level = Level;
                double band = Math.Max(_levelHigh - _levelLow, _settings.LevelBandFloor * range);
                double levelOutside = Math.Max(level - _levelHigh, _levelLow - level);
                if (levelOutside > 0 && band > 0)
                {
                    LevelExceed = levelOutside / band;
                }

                double lagBand = Math.Max(_lagHigh - _lagLow, _settings.LevelBandFloor * range);
                double lagOutside = Math.Max(level - _lagHigh, _lagLow - level);
                if (lagOutside > 0 && lagBand > 0 && _lagHigh >= _lagLow)
                {
                    DriftExceed = lagOutside / lagBand;
                }
            }
        }

        _blockValues[_inBlock] = value;
        if (++_inBlock == _settings.RangeBlock)
        {
            CloseBlock();
        }

        return exceed;
    }

    private void TrackRun(double value)
    {
        if (value == _previous)
        {
            _run++;
        }
        else
        {
            // The run that just ended belongs to the block it ended in.
            _blockRun[_next] = Math.Max(_blockRun[_next], _run);
            _run = 1;
            _previous = value;
        }

        StuckExceed = 0;
        if (_run >= _settings.StuckMinRun && _high > _low && _blocks >= _settings.RangeWarmupBlocks)
        {
            double usual = Math.Max(_longestRun, _settings.StuckMinRun / 2);
            StuckExceed = Math.Max(0, Math.Log(_run / usual));
        }
    }

    private void CloseBlock()
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity, steps = 0;
        for (int i = 0; i < _blockValues.Length; i++)
        {
            min = Math.Min(min, _blockValues[i]);
            max = Math.Max(max, _blockValues[i]);
            if (i > 0)
            {
                steps += Math.Abs(_blockValues[i] - _blockValues[i - 1]);
            }
        }

        double spread = steps / (_blockValues.Length - 1);
        if (_blocks >= _settings.RangeWarmupBlocks)
        {
            // Tiny spreads are measured against a floor tied to the range, so rounding noise is not a "change".
            double floor = Math.Max(1e-3 * (_high - _low), 1e-12);
            double s = Math.Max(spread, floor), lo = Math.Max(_spreadLow, floor), hi = Math.Max(_spreadHigh, floor);
            SpreadExceed = Math.Max(Math.Log(s / hi), Math.Log(lo / s));
            SpreadExceed = Math.Max(SpreadExceed - _settings.SpreadMargin, 0);
        }

        _blockSpread[_next] = spread;
        _blockMin[_next] = min;
        _blockMax[_next] = max;
        _blockMedian[_next] = Median(_blockValues, _blockValues.Length);
        _next = (_next + 1) % _blockMin.Length;
        _blocks = Math.Min(_blocks + 1, _blockMin.Length);
        _blockRun[_next] = 0;
        _longestRun = 0;
        _inBlock = 0;
        _low = _levelLow = _spreadLow = double.PositiveInfinity;
        _high = _levelHigh = _spreadHigh = double.NegativeInfinity;
        for (int b = 0; b < _blocks; b++)
        {
            _low = Math.Min(_low, _blockMin[b]);
            _high = Math.Max(_high, _blockMax[b]);
            _levelLow = Math.Min(_levelLow, _blockMedian[b]);
            _levelHigh = Math.Max(_levelHigh, _blockMedian[b]);
            _spreadLow = Math.Min(_spreadLow, _blockSpread[b]);
            _spreadHigh = Math.Max(_spreadHigh, _blockSpread[b]);
            _longestRun = Math.Max(_longestRun, _blockRun[b]);
        }

        // Blocks older than the lag: ring positions from the oldest up to `_blocks - lag`.
        _lagLow = double.PositiveInfinity;
        _lagHigh = double.NegativeInfinity;
        // A band of a handful of blocks says nothing yet: wait for as many as the other bands need.
        int lagged = _blocks - _settings.DriftLagBlocks;
        if (lagged < _settings.RangeWarmupBlocks)
        {
            lagged = 0;
        }

        int oldest = _blocks < _blockMin.Length ? 0 : _next;
        for (int k = 0; k < lagged; k++)
        {
            double m = _blockMedian[(oldest + k) % _blockMin.Length];
            _lagLow = Math.Min(_lagLow, m);
            _lagHigh = Math.Max(_lagHigh, m);
        }
    }

    private double Median(double[] values, int count)
    {
        Array.Copy(values, _sortBuffer, count);
        Array.Sort(_sortBuffer, 0, count);
        return (count & 1) == 1 ? _sortBuffer[count / 2] : 0.5 * (_sortBuffer[(count / 2) - 1] + _sortBuffer[count / 2]);
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(_blocks);
        writer.Write(_next);
        writer.Write(_inBlock);
        writer.Write(_recentNext);
        writer.Write(_recentHave);
        writer.Write(_low);
        writer.Write(_high);
        writer.Write(_levelLow);
        writer.Write(_levelHigh);
        writer.Write(_lagLow);
        writer.Write(_lagHigh);
        writer.Write(_spreadLow);
        writer.Write(_spreadHigh);
        writer.Write(_run);
        writer.Write(_previous);
        writer.Write(_longestRun);
        for (int b = 0; b < _blocks; b++)
        {
            writer.Write(_blockMin[b]);
            writer.Write(_blockMax[b]);
            writer.Write(_blockMedian[b]);
            writer.Write(_blockSpread[b]);
            writer.Write(_blockRun[b]);
        }

        writer.Write(_blockRun[_next]);
        for (int i = 0; i < _inBlock; i++)
        {
            writer.Write(_blockValues[i]);
        }

        foreach (double v in _recent)
        {
            writer.Write(v);
        }
    }

    public void Read(BinaryReader reader)
    {
        _blocks = reader.ReadInt32();
        _next = reader.ReadInt32();
        _inBlock = reader.ReadInt32();
        _recentNext = reader.ReadInt32();
        _recentHave = reader.ReadInt32();
        if (_blocks < 0 || _blocks > _blockMin.Length || _next < 0 || _next >= _blockMin.Length
            || _inBlock < 0 || _inBlock >= _blockValues.Length
            || _recentNext < 0 || _recentNext >= _recent.Length || _recentHave < 0 || _recentHave > _recent.Length)
        {
            throw new InvalidDataException("The range detector's checkpoint does not fit the current configuration; discard it and let the detector relearn.");
        }

        _low = reader.ReadDouble();
        _high = reader.ReadDouble();
        _levelLow = reader.ReadDouble();
        _levelHigh = reader.ReadDouble();
        _lagLow = reader.ReadDouble();
        _lagHigh = reader.ReadDouble();
        _spreadLow = reader.ReadDouble();
        _spreadHigh = reader.ReadDouble();
        _run = reader.ReadInt32();
        _previous = reader.ReadDouble();
        _longestRun = reader.ReadInt32();
        for (int b = 0; b < _blocks; b++)
        {
            _blockMin[b] = reader.ReadDouble();
            _blockMax[b] = reader.ReadDouble();
            _blockMedian[b] = reader.ReadDouble();
            _blockSpread[b] = reader.ReadDouble();
            _blockRun[b] = reader.ReadInt32();
        }

        _blockRun[_next] = reader.ReadInt32();
        for (int i = 0; i < _inBlock; i++)
        {
            _blockValues[i] = reader.ReadDouble();
        }

        for (int i = 0; i < _recent.Length; i++)
        {
            _recent[i] = reader.ReadDouble();
        }

        Level = _recentHave == _recent.Length ? Median(_recent, _recentHave) : double.NaN;
    }
}
