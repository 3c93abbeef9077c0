namespace OpsAgent.Analysis.Detection;

/// <summary>
/// The knobs of the default detector. There is exactly one configuration in production (<see cref="Default"/>):
/// the collector runs it on every series and <c>opsctl eval nab</c> measures it. The values were chosen by measuring
/// the whole NAB subset under shared/datasets with one configuration for every file (never per file); other values
/// exist only so that experiments and tests can vary one knob at a time.
/// </summary>
internal sealed record DetectorSettings
{
    public static DetectorSettings Default { get; } = new();

    // Shape novelty.

    /// <summary>Raw samples folded into one downsampled point.</summary>
    public int Step { get; init; } = 5;

    /// <summary>Downsampled points in one shape (the feature vector).</summary>
    public int Window { get; init; } = 4;

    /// <summary>Most prototypes remembered; the least recently matched is replaced when full.</summary>
    public int MaxPrototypes { get; init; } = 256;

    /// <summary>Downsampled points learned before shape novelty is reported.</summary>
    public int WarmupPoints { get; init; } = 48;

    /// <summary>A shape this far from its nearest prototype (as a fraction of the range seen) becomes a new prototype;
    /// combined novelty below this is no novelty.</summary>
    public double Vigilance { get; init; } = 0.05;

    // Record-breaking over the horizon.

    /// <summary>Samples per block of the horizon.</summary>
    public int RangeBlock { get; init; } = 12;

    /// <summary>Blocks in the horizon (RangeBlock × RangeBlocks samples: 12 days of 5-minute samples).</summary>
    public int RangeBlocks { get; init; } = 288;

    /// <summary>
    /// Blocks seen before record-breaking is reported: a day of 5-minute samples, so that a daily cycle's high and low
    /// are in the range before "higher than ever" means anything. (Half a day, the first choice, let the rising half of
    /// a cycle's first day break records: 72.5 on NAB's standard profile against 73.2 with a day; 18 or 30 blocks give
    /// 73.0 and 48 gives 71.6.)
    /// </summary>
    public int RangeWarmupBlocks { get; init; } = 24;

    /// <summary>Samples whose median is the "recent level" compared with the band of block medians.</summary>
    public int LevelSamples { get; init; } = 3;

    /// <summary>The band of block medians is taken as at least this fraction of the full range (flat series).</summary>
    public double LevelBandFloor { get; init; } = 0.1;

    /// <summary>Most recent blocks left out of the drift band (12 blocks of 12: half a day of 5-minute samples).</summary>
    public int DriftLagBlocks { get; init; } = 12;

    /// <summary>Log ratio by which a block's spread must leave the band before it counts (ln 2: half or double).</summary>
    public double SpreadMargin { get; init; } = 0.693;

    /// <summary>Repeats of one value before a run counts as possibly stuck (an hour of 5-minute samples).</summary>
    public int StuckMinRun { get; init; } = 12;

    /// <summary>A frozen stretch or a drift is reported once, when its relative novelty reaches this level.</summary>
    public double EventReportLevel { get; init; } = 1.12;

    // Daily profile.

    /// <summary>Time-of-day bins of the daily profile.</summary>
    public int SeasonBins { get; init; } = 48;

    /// <summary>Weight of the newest day in a bin's mean.</summary>
    public double SeasonAlpha { get; init; } = 0.05;

    /// <summary>Weight of the newest sample in a bin's mean absolute deviation.</summary>
    public double SeasonDeviationAlpha { get; init; } = 0.03;

    /// <summary>Days a bin must have seen before it is trusted.</summary>
    public int SeasonMinDays { get; init; } = 7;

    /// <summary>Usual deviations of a bin that do not count as novelty.</summary>
    public double SeasonDeadZone { get; init; } = 3.0;

    // Combination and scoring.

    /// <summary>Half-life, in samples, of each component's record of its own novelty.</summary>
    public int RecordHalfLife { get; init; } = 500;

    /// <summary>Smallest record (so that a perfectly regular series is not infinitely touchy), in ranges.</summary>
    public double RecordFloor { get; init; } = 0.05;

    /// <summary>Smallest record of shape novelty: shapes are the noisiest view, so they need more to count.</summary>
    public double ShapeFloor { get; init; } = 0.2;

    /// <summary>Smallest record of the level break.</summary>
    public double LevelFloor { get; init; } = 0.05;

    /// <summary>Smallest record of the daily-profile departure.</summary>
    public double SeasonFloor { get; init; } = 0.05;

    /// <summary>Largest novelty of one component, in ranges (so one huge event cannot silence a series for long).</summary>
    public double NoveltyCap { get; init; } = 0.7;

    /// <summary>Samples after an anomaly during which only a clearly stronger novelty is reported.</summary>
    public int MaskSamples { get; init; } = 60;

    /// <summary>Inside the mask, a novelty is reported only when this many times stronger than the last one.</summary>
    public double MaskMargin { get; init; } = 2.0;

    /// <summary>
    /// Novelty that maps to a score of 0.5 (score = novelty / (novelty + ScoreScale)). Set so that 0.5 is the
    /// threshold NAB's standard profile picks for this detector, which makes 0.5 the natural alerting threshold.
    /// </summary>
    public double ScoreScale { get; init; } = 0.79;

    // Ablation switches (1 in production; 0 turns a component off in experiments).

    public double ShapeWeight { get; init; } = 1.0;

    public double RangeWeight { get; init; } = 1.0;

    public double LevelWeight { get; init; } = 1.0;

    public double SpreadWeight { get; init; } = 1.0;

    public double SeasonWeight { get; init; } = 1.0;

    public double StuckWeight { get; init; } = 1.0;

    public double DriftWeight { get; init; } = 1.0;
}
