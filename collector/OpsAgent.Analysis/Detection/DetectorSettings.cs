namespace OpsAgent.Analysis.Detection;

/// <summary>
/// The knobs of the default detector. There is exactly one configuration in production (<see cref="Default"/>):
/// the collector runs it on every series and <c>opsctl eval nab</c> measures it. Other values exist only so that
/// experiments and tests can vary one knob at a time.
/// </summary>
internal sealed record DetectorSettings
{
    public static DetectorSettings Default { get; } = new();

    /// <summary>Raw samples folded into one downsampled point.</summary>
    public int Step { get; init; } = 5;

    /// <summary>Downsampled points in one shape (the feature vector).</summary>
    public int Window { get; init; } = 8;

    /// <summary>Most prototypes remembered; the least recently matched is replaced when full.</summary>
    public int MaxPrototypes { get; init; } = 256;

    /// <summary>Downsampled points learned before any score is emitted.</summary>
    public int WarmupPoints { get; init; } = 24;

    /// <summary>A shape this far from its nearest prototype (as a fraction of the range seen) becomes a new prototype.</summary>
    public double Vigilance { get; init; } = 0.05;

    /// <summary>Per downsampled point, how fast the reference level of novelty forgets a past peak.</summary>
    public double NoveltyDecay { get; init; } = 0.995;

    /// <summary>Downsampled points after an anomaly during which only a stronger novelty is reported.</summary>
    public int MaskPoints { get; init; } = 12;
}
