namespace OpsAgent.Cli.Playbooks;

/// <summary>`opsctl playbooks list -o json`.</summary>
internal sealed record PlaybookListJson(string Directory, IReadOnlyList<PlaybookJson> Playbooks, IReadOnlyList<InvalidPlaybookJson> Invalid);
