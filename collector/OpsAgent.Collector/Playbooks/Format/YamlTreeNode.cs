namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>
/// A node of a playbook's YAML document with its position. The parser walks this small tree instead of deserialising
/// into objects so that every value keeps its line and column, unknown and duplicate keys can be reported, and nothing
/// in the file can make the parser create arbitrary types.
/// </summary>
internal abstract class YamlTreeNode(SourcePosition position)
{
    public SourcePosition Position { get; } = position;

    /// <summary>How the node is described in an error ("a list", "a mapping", "the text 'x'").</summary>
    public abstract string Describe();
}
