using OpsAgent.Analysis.Alerting;

namespace OpsAgent.Collector.Detection;

/// <summary>
/// How detector scores become anomalies (<c>Collector:Detection:Alert</c>): the controls against alert fatigue.
/// Defaults are <see cref="AlertPolicy.Default"/>, chosen for the default detector's scores.
/// </summary>
public sealed class DetectionAlertOptions
{
    /// <summary>A score at or above this is evidence of an anomaly.</summary>
    public double RaiseThreshold { get; set; } = AlertPolicy.Default.RaiseThreshold;

    /// <summary>Below this (lower than RaiseThreshold: hysteresis) a score counts as normal again.</summary>
    public double ClearThreshold { get; set; } = AlertPolicy.Default.ClearThreshold;

    /// <summary>How long evidence must last before an anomaly is raised (minimum duration).</summary>
    public TimeSpan MinDuration { get; set; } = AlertPolicy.Default.MinDuration;

    /// <summary>How long one high score keeps counting as evidence.</summary>
    public TimeSpan Hold { get; set; } = AlertPolicy.Default.Hold;

    /// <summary>How long scores must stay below ClearThreshold before an anomaly may end.</summary>
    public TimeSpan ClearAfter { get; set; } = AlertPolicy.Default.ClearAfter;

    /// <summary>A score this high raises at once, whatever MinDuration says; such an anomaly is critical.</summary>
    public double ImmediateThreshold { get; set; } = AlertPolicy.Default.ImmediateThreshold;

    /// <summary>The policy the analysis library applies.</summary>
    internal AlertPolicy ToPolicy() => new(RaiseThreshold, ClearThreshold, MinDuration, Hold, ClearAfter, ImmediateThreshold);
}
