namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>Where something is in a playbook's YAML text: 1-based line and column, as editors show them.</summary>
internal readonly record struct SourcePosition(int Line, int Column)
{
    public static SourcePosition Start { get; } = new(1, 1);

    public override string ToString() => $"line {Line}, column {Column}";
}
