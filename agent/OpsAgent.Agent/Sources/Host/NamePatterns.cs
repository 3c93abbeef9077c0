namespace OpsAgent.Agent.Sources.Host;

/// <summary>
/// A list of glob patterns (<c>*</c> any run of characters, <c>?</c> one character, everything else literal and
/// case-sensitive, as device and path names are on Linux). Globs rather than regular expressions because they are
/// what admins write for device names and paths, and a glob cannot be invalid.
/// </summary>
internal sealed class NamePatterns
{
    private readonly string[] _patterns;

    public NamePatterns(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        _patterns = patterns.Where(static p => !string.IsNullOrEmpty(p)).ToArray();
    }

    public bool Matches(ReadOnlySpan<char> name)
    {
        foreach (string pattern in _patterns)
        {
            if (IsMatch(pattern, name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Greedy wildcard match with backtracking to the last <c>*</c>: linear for the patterns used here.</summary>
    internal static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        int p = 0;
        int n = 0;
        int starP = -1;
        int starN = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n]))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starN = n;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                n = ++starN;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
