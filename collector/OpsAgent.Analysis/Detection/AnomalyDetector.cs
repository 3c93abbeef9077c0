namespace OpsAgent.Analysis.Detection;

/// <summary>
/// The default streaming anomaly detector for one series. It needs no per-series tuning: the collector runs the same
/// class with the same configuration on every series, and <c>opsctl eval nab</c> measures exactly this.
/// </summary>
/// <remarks>
/// Feed samples in arrival order with <see cref="Update"/>; every call returns a score in [0, 1] (0 while learning).
/// Work per sample is bounded by a constant, and the whole state can be saved with <see cref="Checkpoint"/> and
/// brought back with <see cref="Restore"/>, after which the scores are exactly those the original would have given.
/// Not thread-safe: one instance per series, fed by one worker.
/// </remarks>
public sealed class AnomalyDetector
{
    private const int CheckpointMagic = 0x4F41_4431; // "OAD1"
    private const int CheckpointVersion = 1;

    private readonly DetectorSettings _settings;
    private readonly ShapeNoveltyDetector _shape;
    private readonly RangeNoveltyDetector _range;
    private long _count;
    private long _lastAnomaly = long.MinValue / 2;
    private double _lastAnomalyNovelty;
    private readonly double[] _records = new double[4];

    /// <summary>Creates a detector with the default configuration.</summary>
    public AnomalyDetector()
        : this(DetectorSettings.Default)
    {
    }

    internal AnomalyDetector(DetectorSettings settings)
    {
        _settings = settings;
        _shape = new ShapeNoveltyDetector(settings);
        _range = new RangeNoveltyDetector(settings);
    }

    internal ShapeNoveltyDetector Shape => _shape;

    /// <summary>The components' relative novelty at the last sample (diagnostics for tests and experiments).</summary>
    internal (double Shape, double Range, double Level, double Spread) LastComponents { get; private set; }

    /// <summary>Samples seen so far.</summary>
    public long Count => _count;

    /// <summary>
    /// Adds one sample and returns its anomaly score in [0, 1]. Non-finite values are ignored (score 0) so that a
    /// broken source cannot poison the learned state.
    /// </summary>
    /// <param name="timestampUnixMs">The sample's time; gaps and repeats are tolerated.</param>
    /// <param name="value">The sample's value.</param>
    public double Update(long timestampUnixMs, double value)
    {
        _ = timestampUnixMs;
        if (!double.IsFinite(value))
        {
            return 0.0;
        }

        long n = _count++;
        double shape = _settings.ShapeWeight * _shape.Update(value);
        double range = _settings.RangeWeight * _range.Update(value);
        double level = _settings.LevelWeight * _range.LevelExceed;
        double spread = _settings.SpreadWeight * _range.SpreadExceed;
        if (_settings.RecordHalfLife > 0)
        {
            shape = Relative(shape, ref _records[0]);
            range = Relative(range, ref _records[1]);
            level = Relative(level, ref _records[2]);
            spread = Relative(spread, ref _records[3]);
        }

        LastComponents = (shape, range, level, spread);
        double novelty = _settings.Combine == 0 ? Math.Max(Math.Max(shape, spread), Math.Max(range, level)) : shape + range + level + spread;
        if (_settings.MaturitySamples > 0)
        {
            novelty *= Math.Min(1.0, (double)n / _settings.MaturitySamples);
        }

        if (novelty <= _settings.Vigilance)
        {
            return 0.0;
        }

        // After a reported anomaly the same disturbance keeps looking new for a while; report it again only when it
        // gets clearly worse, so that one fault is one alarm rather than a burst (NAB also charges every extra row).
        if (n - _lastAnomaly <= _settings.MaskSamples && novelty <= _lastAnomalyNovelty * _settings.MaskMargin)
        {
            return 0.0;
        }

        _lastAnomaly = n;
        _lastAnomalyNovelty = novelty;
        return Math.Clamp(novelty / (novelty + _settings.ScoreScale), 0.0, 1.0);
    }

    // Novelty relative to the series' own recent record of novelty: a noisy series is always a little novel, so what
    // counts is novelty beyond what this series has recently produced.
    private double Relative(double novelty, ref double record)
    {
        double decay = Math.Pow(0.5, 1.0 / _settings.RecordHalfLife);

        // A series that starts flat makes its first movement infinitely novel; capping keeps that one event from
        // silencing the series for thousands of samples.
        novelty = Math.Min(novelty, _settings.NoveltyCap);
        double reference = Math.Max(record, _settings.RecordFloor);
        record = Math.Max(record * decay, novelty);
        return novelty <= reference ? 0.0 : (novelty / reference) - 1.0 + (_settings.AbsoluteWeight * novelty);
    }

    /// <summary>Serialises the detector's whole state.</summary>
    public byte[] Checkpoint()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(CheckpointMagic);
            writer.Write(CheckpointVersion);
            writer.Write(_count);
            writer.Write(_lastAnomaly);
            writer.Write(_lastAnomalyNovelty);
            foreach (double r in _records)
            {
                writer.Write(r);
            }

            _shape.Write(writer);
            _range.Write(writer);
        }

        return stream.ToArray();
    }

    /// <summary>Rebuilds a detector from <see cref="Checkpoint"/> output.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a checkpoint of this detector version.</exception>
    public static AnomalyDetector Restore(ReadOnlySpan<byte> checkpoint) => RestoreWithSettings(checkpoint, DetectorSettings.Default);

    internal static AnomalyDetector RestoreWithSettings(ReadOnlySpan<byte> checkpoint, DetectorSettings settings)
    {
        using var stream = new MemoryStream(checkpoint.ToArray(), writable: false);
        using var reader = new BinaryReader(stream);
        try
        {
            if (reader.ReadInt32() != CheckpointMagic)
            {
                throw new InvalidDataException("Not an anomaly detector checkpoint (bad magic number); discard it and let the detector relearn.");
            }

            int version = reader.ReadInt32();
            if (version != CheckpointVersion)
            {
                throw new InvalidDataException($"Anomaly detector checkpoint version {version} is not supported (expected {CheckpointVersion}); discard it and let the detector relearn.");
            }

            var detector = new AnomalyDetector(settings) { _count = reader.ReadInt64() };
            detector._lastAnomaly = reader.ReadInt64();
            detector._lastAnomalyNovelty = reader.ReadDouble();
            for (int k = 0; k < detector._records.Length; k++)
            {
                detector._records[k] = reader.ReadDouble();
            }

            detector._shape.Read(reader);
            detector._range.Read(reader);
            if (stream.Position != stream.Length)
            {
                throw new InvalidDataException("The anomaly detector checkpoint has trailing bytes; discard it and let the detector relearn.");
            }

            return detector;
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("The anomaly detector checkpoint is truncated; discard it and let the detector relearn.", ex);
        }
    }
}
