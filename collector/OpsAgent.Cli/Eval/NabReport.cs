using OpsAgent.Analysis.Evaluation;

namespace OpsAgent.Cli.Eval;

/// <summary>What an evaluation produced: the scored corpus and one optimised result per profile.</summary>
internal sealed record NabReport(IReadOnlyList<NabSeries> Series, IReadOnlyList<NabResult> Results);
