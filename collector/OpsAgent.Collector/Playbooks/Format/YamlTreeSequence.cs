namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>A YAML list.</summary>
internal sealed class YamlTreeSequence(SourcePosition position, IReadOnlyList<YamlTreeNode> items) : YamlTreeNode(position)
{
    public IReadOnlyList<YamlTreeNode> Items { get; } = items;

    public override string Describe() => "a list";
}
