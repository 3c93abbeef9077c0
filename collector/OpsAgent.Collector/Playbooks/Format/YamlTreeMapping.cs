namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>A YAML mapping; entries keep their order and keys are plain scalars (the reader rejects anything else).</summary>
internal sealed class YamlTreeMapping(SourcePosition position, IReadOnlyList<KeyValuePair<YamlTreeScalar, YamlTreeNode>> entries)
    : YamlTreeNode(position)
{
    public IReadOnlyList<KeyValuePair<YamlTreeScalar, YamlTreeNode>> Entries { get; } = entries;

    public YamlTreeNode? this[string key]
    {
        get
        {
            foreach (KeyValuePair<YamlTreeScalar, YamlTreeNode> entry in Entries)
            {
                if (string.Equals(entry.Key.Value, key, StringComparison.Ordinal))
                {
                    return entry.Value;
                }
            }

            return null;
        }
    }

    public override string Describe() => "a mapping";
}
