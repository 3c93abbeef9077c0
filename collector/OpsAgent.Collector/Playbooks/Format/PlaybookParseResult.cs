namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>The playbook, or every problem that kept the text from being one (never both).</summary>
internal sealed record PlaybookParseResult(Playbook? Playbook, IReadOnlyList<PlaybookProblem> Problems)
{
    public bool IsValid => Playbook is not null;
}
