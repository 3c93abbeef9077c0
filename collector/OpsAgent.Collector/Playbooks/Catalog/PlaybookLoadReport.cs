namespace OpsAgent.Collector.Playbooks.Catalog;

/// <summary>The outcome of reading the playbook directory.</summary>
/// <param name="Loaded">Playbooks in force, by name.</param>
/// <param name="Invalid">Files that could not be loaded.</param>
/// <param name="Added">Names that appeared with this load.</param>
/// <param name="Changed">Names whose definition changed.</param>
/// <param name="Removed">Names that are gone.</param>
internal sealed record PlaybookLoadReport(
    IReadOnlyList<PlaybookEntry> Loaded,
    IReadOnlyList<PlaybookFileProblem> Invalid,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Changed,
    IReadOnlyList<string> Removed);
