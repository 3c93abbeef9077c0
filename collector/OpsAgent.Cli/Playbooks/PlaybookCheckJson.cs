namespace OpsAgent.Cli.Playbooks;

/// <summary>`opsctl playbooks apply|validate|delete -o json`: what happened to which playbook, and every problem.</summary>
/// <param name="Outcome">apply: created, replaced, unchanged, invalid; validate: valid, invalid; delete: deleted.</param>
/// <param name="Name">The playbook's name (null when the text is not a playbook).</param>
/// <param name="File">The file given to opsctl (apply, validate), or the collector's file (delete).</param>
/// <param name="CollectorFile">Where the collector keeps it (apply, delete).</param>
internal sealed record PlaybookCheckJson(string Outcome, string? Name, string? File, string? CollectorFile, IReadOnlyList<PlaybookProblemJson> Problems);
