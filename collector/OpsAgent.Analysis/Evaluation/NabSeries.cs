namespace OpsAgent.Analysis.Evaluation;

/// <summary>One scored file of a NAB corpus: the detector's score for every row and the labelled windows.</summary>
/// <param name="Name">The file's name, for reports.</param>
/// <param name="Scores">The detector's score for every row, in row order.</param>
/// <param name="Windows">The labelled windows in row order; they must not overlap.</param>
public sealed record NabSeries(string Name, IReadOnlyList<double> Scores, IReadOnlyList<NabWindow> Windows);
