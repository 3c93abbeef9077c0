namespace OpsAgent.Analysis.Detection;

/// <summary>
/// The default streaming anomaly detector for one series. It needs no per-series tuning: the collector runs the same
/// class with the same configuration on every series, and <c>opsctl eval nab</c> measures exactly this.
/// </summary>
/// <remarks>
/// <para>
/// Feed samples in arrival order with <see cref="Update"/>; every call returns a score in [0, 1] (0 while learning).
/// A score of 0.5 or more means "anomalous"; higher is stronger. Work per sample is bounded by a constant, and the
/// whole state can be saved with <see cref="Checkpoint"/> and brought back with <see cref="Restore"/>, after which
/// the scores are exactly those the original would have given. Not thread-safe: one instance per series.
/// </para>
/// <para>
/// How it works, and why. Seven cheap views of novelty, each in units of the range the series has covered:
/// <list type="bullet">
/// <item>shape: the last few downsampled points against remembered shapes (ARTime's "a new category");</item>
/// <item>range: a sample outside the range of the last 12 days of samples (spikes; HTM's NAB entry has the same
/// "spatial" check);</item>
/// <item>level: the median of the last 3 samples outside the band of block medians (level shifts that an old spike
/// in the range would hide);</item>
/// <item>drift: the same level outside the band as it was half a day ago (slow trends the band follows);</item>
/// <item>spread: a block's mean step outside the band of spreads (a series that turns noisy, or goes flat);</item>
/// <item>stuck: one value repeated for longer than any run in the horizon (a frozen metric);</item>
/// <item>season: the level against the same half hour of earlier days, after a week (a busy period that ends
/// early, a nightly job that does not run); the only view that uses timestamps, so gaps, repeats and a clock
/// stepping back only move a sample to another bin.</item>
/// </list>
/// A noisy series is always a little novel, so each view is judged against its own recent record
/// (<see cref="DetectorSettings.RecordHalfLife"/>): only novelty beyond what this series has recently produced
/// counts, which is what lets one configuration serve a flat counter and a jittery CPU alike. The views' relative
/// novelties add up (a fault usually disturbs several views, noise rarely does). One fault is one alarm: after a
/// reported anomaly only a clearly stronger one is reported for a while (as ARTime and CAD OSE mask), and a
/// frozen stretch or a drift is reported once. On NAB (shared/datasets/nab, 35 files) this scores 73.2 on the
/// standard profile (65.8 reward_low_FP_rate, 77.9 reward_low_FN_rate). Measured with the previous range warm-up of
/// half a day (72.5): without the daily profile it scores 65.2, without shapes 69.7, without the masking 68.8 and
/// without the per-series records 23.7; the spread view is worth nothing on NAB (72.7 without it) and is kept for
/// host metrics that turn noisy or go flat, which NAB hardly has.
/// </para>
/// <para>
/// What else was tried, one knob at a time on the whole corpus, and left as it was (standard profile, from 72.5):
/// masking for 90/120/200 samples 72.4/70.3/70.9, mask margin 1.5/3 72.1/70.3; record half-life 300/1000/2000
/// 71.4/66.4/63.7; novelty cap 0.5/1.0 71.5/71.4; vigilance 0.04/0.07 72.5/71.2; shape floor 0.15/0.3 72.1/70.1;
/// record floor 0.03/0.08 71.2/70.8; level floor 0.1 71.0; season floor 0.1 70.6, dead zone 2.5/4 72.2/72.3,
/// trusted after 4 days 70.2; shape warm-up 96/150 points 72.5/72.6; horizon 144/576 blocks 69.2/71.4; drift lag
/// 24 blocks 72.6; level of 5 samples 65.3; blocks of 4 samples 70.8; shapes of 5 points 71.4; 128/512 prototypes
/// 72.3/72.5. With the day-long warm-up, a record half-life of 400 reaches 73.6 but 600 falls to 71.3: too fragile
/// to be a property of the detector rather than of this corpus, so it was not taken. The windows still missed are
/// mostly anomalies inside the learned range with no new shape (the detector scores nothing there) or windows in a
/// series' first day; reaching 75 needs a new view of the data rather than other values of these knobs.
/// </para>
/// </remarks>
public sealed class AnomalyDetector
{
    private const int CheckpointMagic = 0x4F41_4431; // "OAD1"
    private const int CheckpointVersion = 1;
    private const int ShapeComponent = 0;
    private const int RangeComponent = 1;
    private const int LevelComponent = 2;
    private const int SpreadComponent = 3;
    private const int SeasonComponent = 4;
    private const int StuckComponent = 5;
    private const int DriftComponent = 6;
    private const int Components = 7;

    private readonly DetectorSettings _settings;
    private readonly ShapeNoveltyDetector _shape;
    private readonly RangeNoveltyDetector _range;
    private readonly SeasonalNoveltyDetector _season;
    private readonly double[] _records = new double[Components];
    private readonly double[] _eventPeaks = new double[Components];
    private readonly double _recordDecay;
    private long _count;
    private readonly bool[] _eventReported = new bool[Components];
    private long _lastAnomaly = long.MinValue / 2;
    private double _lastAnomalyNovelty;

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
        _season = new SeasonalNoveltyDetector(settings);
        _recordDecay = Math.Pow(0.5, 1.0 / settings.RecordHalfLife);
    }

    /// <summary>Samples seen so far.</summary>
    public long Count => _count;

    /// <summary>What the detector takes as usual for this series as of the last sample (see <see cref="DetectorBaseline"/>).</summary>
    public DetectorBaseline Baseline => _range.Warm
        ? new DetectorBaseline(_range.Level, _range.LevelLow, _range.LevelHigh, _range.Width, _range.StuckExceed > 0)
        : new DetectorBaseline(_range.Level, double.NaN, double.NaN, 0, false);

    /// <summary>The components' relative novelty at the last sample (diagnostics for tests and experiments).</summary>
    internal (double Shape, double Range, double Level, double Spread, double Season, double Stuck, double Drift) LastComponents { get; private set; }

    /// <summary>
    /// Adds one sample and returns its anomaly score in [0, 1]. Non-finite values are ignored (score 0) so that a
    /// broken source cannot poison the learned state.
    /// </summary>
    /// <param name="timestampUnixMs">The sample's time (placed in the daily profile; gaps, repeats and steps back are tolerated).</param>
    /// <param name="value">The sample's value.</param>
    public double Update(long timestampUnixMs, double value)
    {
        if (!double.IsFinite(value))
        {
            return 0.0;
        }

        long n = _count++;
        double shape = Relative(_settings.ShapeWeight * _shape.Update(value), ShapeComponent, _settings.ShapeFloor);
        double range = Relative(_settings.RangeWeight * _range.Update(value), RangeComponent, _settings.RecordFloor);
        double level = Relative(_settings.LevelWeight * _range.LevelExceed, LevelComponent, _settings.LevelFloor);
        double spread = Relative(_settings.SpreadWeight * _range.SpreadExceed, SpreadComponent, _settings.RecordFloor);
        double season = Relative(_settings.SeasonWeight * _season.Update(timestampUnixMs, value, _range.Width), SeasonComponent, _settings.SeasonFloor);
        double stuck = Relative(_settings.StuckWeight * _range.StuckExceed, StuckComponent, _settings.RecordFloor);
        double drift = Relative(_settings.DriftWeight * _range.DriftExceed, DriftComponent, _settings.RecordFloor);
        LastComponents = (shape, range, level, spread, season, stuck, drift);

        // Evidence adds up: a fault usually disturbs several views at once, noise rarely does.
        double novelty = shape + range + level + spread + season + stuck + drift;
        if (novelty <= _settings.Vigilance)
        {
            return 0.0;
        }

        // The same disturbance keeps looking new for a while; report it again only when it gets clearly worse, so
        // that one fault is one alarm rather than a burst (NAB also charges every extra row outside a window).
        if (n - _lastAnomaly <= _settings.MaskSamples && novelty <= _lastAnomalyNovelty * _settings.MaskMargin)
        {
            return 0.0;
        }

        _lastAnomaly = n;
        _lastAnomalyNovelty = novelty;
        return novelty / (novelty + _settings.ScoreScale);
    }

    // Novelty beyond the component's own decaying record: 0 when this series has recently done as much.
    private double Relative(double novelty, int component, double floor)
    {
        // A series that starts flat makes its first movement infinitely novel; capping keeps that one event from
        // silencing the series for thousands of samples.
        novelty = Math.Min(novelty, _settings.NoveltyCap);
        ref double record = ref _records[component];
        double reference = Math.Max(record, floor);
        if (component is StuckComponent or DriftComponent)
        {
            // The record takes an event's peak only once the event is over, so a novelty that keeps growing
            // (a metric stuck for longer and longer) is measured against what came before it, not against itself.
            ref double peak = ref _eventPeaks[component];
            record *= _recordDecay;
            if (novelty > 0)
            {
                peak = Math.Max(peak, novelty);
            }
            else if (peak > 0)
            {
                record = Math.Max(record, peak);
                peak = 0;
            }
        }
        else
        {
            record = Math.Max(record * _recordDecay, novelty);
        }

        double relative = novelty <= reference ? 0.0 : (novelty / reference) - 1.0;
        if (component is StuckComponent or DriftComponent)
        {
            // One alarm per frozen stretch or drift: once it has scored as an anomaly, it stays reported until it ends.
            ref bool reported = ref _eventReported[component];
            if (novelty <= 0)
            {
                reported = false;
            }
            else if (reported)
            {
                return 0.0;
            }
            else if (relative >= _settings.EventReportLevel)
            {
                reported = true;
            }
        }

        return relative;
    }

    /// <summary>Serialises the detector's whole state.</summary>
    public byte[] Checkpoint()
    {
        // Sized for a detector whose horizon is full (about 23 KiB), so the buffer does not grow by doubling.
        using var stream = new MemoryStream(32 * 1024);
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(CheckpointMagic);
            writer.Write(CheckpointVersion);
            writer.Write(_count);
            writer.Write(_lastAnomaly);
            writer.Write(_lastAnomalyNovelty);
            for (int k = 0; k < Components; k++)
            {
                writer.Write(_records[k]);
                writer.Write(_eventPeaks[k]);
                writer.Write(_eventReported[k]);
            }

            _shape.Write(writer);
            _range.Write(writer);
            _season.Write(writer);
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

            var detector = new AnomalyDetector(settings)
            {
                _count = reader.ReadInt64(),
                _lastAnomaly = reader.ReadInt64(),
                _lastAnomalyNovelty = reader.ReadDouble(),
            };
            for (int k = 0; k < Components; k++)
            {
                detector._records[k] = reader.ReadDouble();
                detector._eventPeaks[k] = reader.ReadDouble();
                detector._eventReported[k] = reader.ReadBoolean();
            }

            detector._shape.Read(reader);
            detector._range.Read(reader);
            detector._season.Read(reader);
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
