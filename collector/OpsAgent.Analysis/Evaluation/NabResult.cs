namespace OpsAgent.Analysis.Evaluation;

/// <summary>The score of a corpus under one profile at one threshold.</summary>
/// <param name="Profile">The cost profile.</param>
/// <param name="Threshold">Rows with a score at or above this are detections.</param>
/// <param name="RawScore">Sum of window rewards, missed-window costs and false-positive costs.</param>
/// <param name="NullScore">The raw score of a detector that never fires.</param>
/// <param name="PerfectScore">The raw score of a detector that catches every window at its first row.</param>
/// <param name="TruePositives">Windows with at least one detection.</param>
/// <param name="FalseNegatives">Windows with no detection.</param>
/// <param name="FalsePositives">Scored rows outside every window that are detections.</param>
public sealed record NabResult(
    NabProfile Profile,
    double Threshold,
    double RawScore,
    double NullScore,
    double PerfectScore,
    int TruePositives,
    int FalseNegatives,
    int FalsePositives)
{
    /// <summary>100 * (raw - null) / (perfect - null): 0 for the null detector, 100 for the perfect one.</summary>
    public double NormalizedScore => PerfectScore == NullScore ? 0.0 : 100.0 * (RawScore - NullScore) / (PerfectScore - NullScore);
}
