namespace OpsAgent.Cli.Output;

/// <summary>Labels in one table cell: k=v pairs sorted by key, comma separated, "-" for none.</summary>
internal static class LabelFormatter
{
    public const string None = "-";

    public static string Format(IEnumerable<KeyValuePair<string, string>> labels, params ReadOnlySpan<string> excludeKeys)
    {
        var exclude = excludeKeys.ToArray();
        var pairs = labels
            .Where(label => !exclude.Contains(label.Key, StringComparer.Ordinal))
            .OrderBy(label => label.Key, StringComparer.Ordinal)
            .Select(label => label.Key + "=" + label.Value)
            .ToArray();
        return pairs.Length == 0 ? None : string.Join(',', pairs);
    }
}
