namespace OpsAgent.Analysis.Detection;

/// <summary>
/// The knobs of the default detector. There is exactly one configuration in production (<see cref="Default"/>):
/// the collector runs it on every series and <c>opsctl eval nab</c> measures it. Other values exist only so that
/// experiments and tests can vary one knob at a time.
/// </summary>
internal sealed record DetectorSettings
{
    public static DetectorSettings Default { get; } = new();

    /// <summary>Samples after which novelty counts in full; before, it is scaled down linearly (young models are unsure).</summary>
    public int MaturitySamples { get; init; } = 0;

    /// <summary>0: shape novelty is the raw distance; 1: its z-score against the series' own distances; 2: both multiplied.</summary>
    public int ShapeMode { get; init; } = 0;

    /// <summary>Points over which the mean and spread of shape distances are averaged (ShapeMode 1, 2).</summary>
    public int ZSpan { get; init; } = 1000;

    /// <summary>Smallest standard deviation of distances used (so a perfectly regular series is not infinitely touchy).</summary>
    public double ZFloor { get; init; } = 0.02;

    /// <summary>z-score that counts as one unit of novelty.</summary>
    public double ZScale { get; init; } = 5.0;

    /// <summary>Points closer than this fraction of the range to the running median are flattened onto it.</summary>
    public double Chomp { get; init; } = 0.0;

    /// <summary>Step of the running median, as a fraction of the range.</summary>
    public double MedianStep { get; init; } = 0.01;

    /// <summary>Half-life in samples of each component's record novelty; 0 scores absolute novelty instead.</summary>
    public int RecordHalfLife { get; init; } = 500;

    /// <summary>Largest novelty of one component, in ranges.</summary>
    public double NoveltyCap { get; init; } = 0.7;

    /// <summary>Smallest record novelty (so that a perfectly regular series is not infinitely touchy).</summary>
    public double RecordFloor { get; init; } = 0.05;

    /// <summary>Weight of absolute novelty added to the relative one.</summary>
    public double AbsoluteWeight { get; init; } = 0.0;

    /// <summary>Novelty that maps to a score of 0.5 (score = novelty / (novelty + ScoreScale)).</summary>
    public double ScoreScale { get; init; } = 0.56;

    /// <summary>0: the strongest component counts; 1: components add up.</summary>
    public int Combine { get; init; } = 0;

    /// <summary>Raw samples folded into one downsampled point.</summary>
    public int Step { get; init; } = 5;

    /// <summary>Downsampled points in one shape (the feature vector).</summary>
    public int Window { get; init; } = 4;

    /// <summary>Most prototypes remembered; the least recently matched is replaced when full.</summary>
    public int MaxPrototypes { get; init; } = 256;

    /// <summary>Downsampled points learned before any score is emitted.</summary>
    public int WarmupPoints { get; init; } = 48;

    /// <summary>A shape this far from its nearest prototype (as a fraction of the range seen) becomes a new prototype.</summary>
    public double Vigilance { get; init; } = 0.05;

    /// <summary>Downsampled points over which the usual novelty (mean and spread of distances) is averaged.</summary>
    public int ReferenceSpan { get; init; } = 500;

    /// <summary>Which quantile of recent distances is "usual".</summary>
    public double ReferenceQuantile { get; init; } = 0.99;

    /// <summary>A novelty counts when its distance exceeds the usual quantile times this factor.</summary>
    public double ReferenceFactor { get; init; } = 1.0;

    /// <summary>Samples after an anomaly during which only a clearly stronger novelty is reported.</summary>
    public int MaskSamples { get; init; } = 60;

    /// <summary>Inside the mask, a novelty is reported only when this many times stronger than the last one.</summary>
    public double MaskMargin { get; init; } = 2.0;

    /// <summary>Samples per block of the range horizon.</summary>
    public int RangeBlock { get; init; } = 12;

    /// <summary>Blocks in the range horizon (RangeBlock × RangeBlocks samples).</summary>
    public int RangeBlocks { get; init; } = 288;

    /// <summary>Blocks seen before record-breaking is reported.</summary>
    public int RangeWarmupBlocks { get; init; } = 12;

    /// <summary>Samples whose median is the "recent level" compared with the band of block medians.</summary>
    public int LevelSamples { get; init; } = 3;

    /// <summary>The band of block medians is taken as at least this fraction of the full range (flat series).</summary>
    public double LevelBandFloor { get; init; } = 0.1;

    /// <summary>Log ratio by which a block's spread must leave the band before it counts (ln 2: half or double).</summary>
    public double SpreadMargin { get; init; } = 0.693;

    /// <summary>Weight of the spread break (0 turns it off, for experiments).</summary>
    public double SpreadWeight { get; init; } = 1.0;

    /// <summary>Weight of the level break (0 turns it off, for experiments).</summary>
    public double LevelWeight { get; init; } = 1.0;

    /// <summary>Weight of record-breaking against shape novelty (0 turns it off, for experiments).</summary>
    public double RangeWeight { get; init; } = 1.0;

    /// <summary>Weight of shape novelty (0 turns it off, for experiments).</summary>
    public double ShapeWeight { get; init; } = 1.0;
}
