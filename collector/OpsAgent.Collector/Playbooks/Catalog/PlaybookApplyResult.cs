using OpsAgent.Collector.Playbooks.Format;

namespace OpsAgent.Collector.Playbooks.Catalog;

/// <summary>What <see cref="PlaybookStore.Apply"/> did.</summary>
/// <param name="Outcome">Created, replaced, unchanged or invalid.</param>
/// <param name="Playbook">The playbook now in force (null when invalid).</param>
/// <param name="File">The file written (or that already held this text).</param>
/// <param name="Problems">Why the text was refused; empty unless invalid.</param>
internal sealed record PlaybookApplyResult(PlaybookApplyOutcome Outcome, Playbook? Playbook, string? File, IReadOnlyList<PlaybookProblem> Problems);
