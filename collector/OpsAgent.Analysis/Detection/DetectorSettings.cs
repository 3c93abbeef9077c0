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
    public int Window { get; init; } = 4;

    /// <summary>Most prototypes remembered; the least recently matched is replaced when full.</summary>
    public int MaxPrototypes { get; init; } = 256;

    /// <summary>Downsampled points learned before any score is emitted.</summary>
    public int WarmupPoints { get; init; } = 24;

    /// <summary>A shape this far from its nearest prototype (as a fraction of the range seen) becomes a new prototype.</summary>
    public double Vigilance { get; init; } = 0.05;

    /// <summary>Downsampled points over which the usual novelty (mean and spread of distances) is averaged.</summary>
    public int ReferenceSpan { get; init; } = 500;

    /// <summary>Which quantile of recent distances is "usual".</summary>
    public double ReferenceQuantile { get; init; } = 0.99;

    /// <summary>A novelty counts when its distance exceeds the usual quantile times this factor.</summary>
    public double ReferenceFactor { get; init; } = 1.0;

    /// <summary>Downsampled points after an anomaly during which only a stronger novelty is reported.</summary>
    public int MaskPoints { get; init; } = 12;

    /// <summary>Inside the mask, a novelty is reported only when this many times stronger than the last one.</summary>
    public double MaskMargin { get; init; } = 2.0;
}
