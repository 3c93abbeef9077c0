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
    private long _count;

    /// <summary>Creates a detector with the default configuration.</summary>
    public AnomalyDetector()
        : this(DetectorSettings.Default)
    {
    }

    internal AnomalyDetector(DetectorSettings settings)
    {
        _settings = settings;
        _shape = new ShapeNoveltyDetector(settings);
    }

    internal ShapeNoveltyDetector Shape => _shape;

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

        _count++;
        return Math.Clamp(_shape.Update(value), 0.0, 1.0);
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
            _shape.Write(writer);
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
            detector._shape.Read(reader);
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
