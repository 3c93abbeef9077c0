using OpsAgent.Collector.Playbooks.Format;

namespace OpsAgent.Collector.Playbooks.Catalog;

/// <summary>A playbook file that could not be loaded, with every problem in it.</summary>
/// <param name="File">Full path of the file.</param>
/// <param name="Problems">What is wrong, with line and column.</param>
/// <param name="KeptPrevious">The file was valid before this change; its last valid version stays in force until it is fixed.</param>
internal sealed record PlaybookFileProblem(string File, IReadOnlyList<PlaybookProblem> Problems, bool KeptPrevious)
{
    public override string ToString() => $"{File}: " + string.Join(" | ", Problems);
}
