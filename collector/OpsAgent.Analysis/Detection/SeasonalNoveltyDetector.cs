namespace OpsAgent.Analysis.Detection;

/// <summary>
/// Departure from the usual daily profile: the recent level against what this series usually does at this time of
/// day, beyond its usual day-to-day variation at that time.
/// </summary>
/// <remarks>
/// Why: host and service metrics follow the working day; a busy period that ends hours early, or a nightly batch that
/// does not run, stays inside every range and forms no new short shape, so only a comparison with the same time on
/// earlier days sees it. The profile is a fixed number of time-of-day bins, each with an exponentially weighted
/// mean and mean absolute deviation: O(1) per sample, a few kilobytes per series, and gaps, repeats or a clock
/// stepping back only move a sample to another bin. A bin's mean moves once per day (by the mean of that day's
/// samples in the bin), so the profile means "earlier days" whatever the sampling rate. On a series with no daily pattern the residuals are just noise
/// and the detector's own record (see <see cref="AnomalyDetector"/>) keeps them quiet.
/// </remarks>
internal sealed class SeasonalNoveltyDetector
{
    private const long MsPerDay = 86_400_000;

    private readonly DetectorSettings _settings;
    private readonly double[] _mean;
    private readonly double[] _deviation;
    private readonly int[] _days;
    private readonly long[] _currentDay;
    private readonly double[] _daySum;
    private readonly int[] _dayCount;
    private readonly double[] _recent;
    private readonly double[] _sortBuffer;
    private int _recentNext;
    private int _recentHave;

    public SeasonalNoveltyDetector(DetectorSettings settings)
    {
        _settings = settings;
        _mean = new double[settings.SeasonBins];
        _deviation = new double[settings.SeasonBins];
        _days = new int[settings.SeasonBins];
        _currentDay = new long[settings.SeasonBins];
        _daySum = new double[settings.SeasonBins];
        _dayCount = new int[settings.SeasonBins];
        _recent = new double[settings.LevelSamples];
        _sortBuffer = new double[settings.LevelSamples];
    }

    /// <summary>Returns how far the recent level is from this time of day's usual level, beyond the usual deviation, in ranges.</summary>
    /// <param name="range">The width of the series' usual range (from the range detector), the unit of novelty.</param>
    public double Update(long timestampMs, double value, double range)
    {
        long day = Math.DivRem(timestampMs, MsPerDay, out long msOfDay);
        if (msOfDay < 0)
        {
            day--;
            msOfDay += MsPerDay;
        }

        int bin = (int)(msOfDay * _mean.Length / MsPerDay);
        if (day != _currentDay[bin])
        {
            FoldDay(bin);
            _currentDay[bin] = day;
        }

        // The median of the last few residuals (each against its own bin), not the residual of the last few
        // samples' median: at a sharp daily step the latter would compare yesterday's level with today's.
        bool trusted = _days[bin] >= _settings.SeasonMinDays;
        _recent[_recentNext] = trusted ? value - _mean[bin] : double.NaN;
        _recentNext = (_recentNext + 1) % _recent.Length;
        _recentHave = Math.Min(_recentHave + 1, _recent.Length);

        double novelty = 0;
        if (trusted && _recentHave == _recent.Length && range > 0 && !HasUntrusted())
        {
            Array.Copy(_recent, _sortBuffer, _recent.Length);
            Array.Sort(_sortBuffer);
            double residual = _sortBuffer[_sortBuffer.Length / 2];
            double excess = Math.Abs(residual) - (_settings.SeasonDeadZone * _deviation[bin]);
            novelty = Math.Max(0, excess) / range;
        }

        if (_days[bin] > 0)
        {
            _deviation[bin] += _settings.SeasonDeviationAlpha * (Math.Abs(value - _mean[bin]) - _deviation[bin]);
        }

        _daySum[bin] += value;
        _dayCount[bin]++;
        return novelty;
    }

    private bool HasUntrusted()
    {
        foreach (double r in _recent)
        {
            if (double.IsNaN(r))
            {
                return true;
            }
        }

        return false;
    }

    private void FoldDay(int bin)
    {
        if (_dayCount[bin] == 0)
        {
            return;
        }

        double dayMean = _daySum[bin] / _dayCount[bin];
        if (_days[bin] == 0)
        {
            _mean[bin] = dayMean;
            _deviation[bin] = 0;
        }
        else
        {
            _mean[bin] += Math.Max(_settings.SeasonAlpha, 1.0 / (_days[bin] + 1)) * (dayMean - _mean[bin]);
        }

        _days[bin] = Math.Min(_days[bin] + 1, int.MaxValue / 2);
        _daySum[bin] = 0;
        _dayCount[bin] = 0;
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(_recentNext);
        writer.Write(_recentHave);
        foreach (double v in _recent)
        {
            writer.Write(v);
        }

        for (int b = 0; b < _mean.Length; b++)
        {
            writer.Write(_mean[b]);
            writer.Write(_deviation[b]);
            writer.Write(_days[b]);
            writer.Write(_currentDay[b]);
            writer.Write(_daySum[b]);
            writer.Write(_dayCount[b]);
        }
    }

    public void Read(BinaryReader reader)
    {
        _recentNext = reader.ReadInt32();
        _recentHave = reader.ReadInt32();
        if (_recentNext < 0 || _recentNext >= _recent.Length || _recentHave < 0 || _recentHave > _recent.Length)
        {
            throw new InvalidDataException("The seasonal detector's checkpoint does not fit the current configuration; discard it and let the detector relearn.");
        }

        for (int i = 0; i < _recent.Length; i++)
        {
            _recent[i] = reader.ReadDouble();
        }

        for (int b = 0; b < _mean.Length; b++)
        {
            _mean[b] = reader.ReadDouble();
            _deviation[b] = reader.ReadDouble();
            _days[b] = reader.ReadInt32();
            _currentDay[b] = reader.ReadInt64();
            _daySum[b] = reader.ReadDouble();
            _dayCount[b] = reader.ReadInt32();
        }
    }
}
