namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>A scalar value. <see cref="IsNull"/> is true for <c>~</c>, <c>null</c> and an empty unquoted value.</summary>
internal sealed class YamlTreeScalar(SourcePosition position, string value, bool quoted) : YamlTreeNode(position)
{
    public string Value { get; } = value;

    public bool IsQuoted { get; } = quoted;

    public bool IsNull => !IsQuoted && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Describe() => IsNull ? "an empty value" : $"'{Value}'";
}
