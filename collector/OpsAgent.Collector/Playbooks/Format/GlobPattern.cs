namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>
/// A wildcard pattern: <c>*</c> matches any run of characters (including none), <c>?</c> exactly one. Matching is
/// linear-time (greedy with one backtrack point), so no pattern can make matching slow.
/// </summary>
internal sealed class GlobPattern
{
    private readonly StringComparison _comparison;

    public GlobPattern(string pattern, bool ignoreCase = false)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Pattern = pattern;
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
    }

    public string Pattern { get; }

    public bool IsMatch(string? text)
    {
        if (text is null)
        {
            return false;
        }

        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < Pattern.Length && Pattern[p] == '*')
            {
                starP = p++;
                starT = t;
            }
            else if (p < Pattern.Length && (Pattern[p] == '?' || Same(Pattern[p], text[t])))
            {
                p++;
                t++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < Pattern.Length && Pattern[p] == '*')
        {
            p++;
        }

        return p == Pattern.Length;
    }

    public override string ToString() => Pattern;

    private bool Same(char a, char b) =>
        a == b || (_comparison == StringComparison.OrdinalIgnoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
