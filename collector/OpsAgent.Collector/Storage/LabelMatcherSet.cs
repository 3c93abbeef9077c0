using System.Text.RegularExpressions;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Storage;

/// <summary>
/// Compiled label matchers. As in Prometheus, a missing label has the value "" (so <c>env!="prod"</c> matches series
/// without an env label) and regular expressions are anchored at both ends.
/// </summary>
internal sealed class LabelMatcherSet
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(250);

    private readonly (string Key, MatchOp Op, string Value, Regex? Regex)[] _matchers;

    private LabelMatcherSet((string, MatchOp, string, Regex?)[] matchers)
    {
        _matchers = matchers;
    }

    public static LabelMatcherSet Empty { get; } = new([]);

    /// <summary>Compiles the matchers; throws <see cref="ArgumentException"/> naming a bad regular expression.</summary>
    public static LabelMatcherSet Create(IReadOnlyList<LabelMatcher>? matchers)
    {
        if (matchers is null || matchers.Count == 0)
        {
            return Empty;
        }

        var compiled = new (string, MatchOp, string, Regex?)[matchers.Count];
        for (int i = 0; i < matchers.Count; i++)
        {
            LabelMatcher matcher = matchers[i];
            if (string.IsNullOrEmpty(matcher.Key))
            {
                throw new ArgumentException("A label matcher has an empty key; give the label name to match on.");
            }

            Regex? regex = null;
            if (matcher.Op is MatchOp.Regex or MatchOp.NotRegex)
            {
                try
                {
                    regex = new Regex($"^(?:{matcher.Value})$", RegexOptions.CultureInvariant | RegexOptions.Singleline, RegexTimeout);
                }
                catch (ArgumentException ex)
                {
                    throw new ArgumentException($"The regular expression '{matcher.Value}' for label '{matcher.Key}' is invalid: {ex.Message}", ex);
                }
            }
            else if (matcher.Op is not (MatchOp.Equal or MatchOp.NotEqual))
            {
                throw new ArgumentException($"Label matcher on '{matcher.Key}' has unknown operator {matcher.Op}.");
            }

            compiled[i] = (matcher.Key, matcher.Op, matcher.Value, regex);
        }

        return new LabelMatcherSet(compiled);
    }

    /// <summary>True when every matcher accepts the value <paramref name="labelValue"/> returns for its key.</summary>
    public bool Matches<TState>(TState state, Func<TState, string, string> labelValue)
    {
        foreach ((string key, MatchOp op, string value, Regex? regex) in _matchers)
        {
            string actual = labelValue(state, key);
            bool ok = op switch
            {
                MatchOp.Equal => string.Equals(actual, value, StringComparison.Ordinal),
                MatchOp.NotEqual => !string.Equals(actual, value, StringComparison.Ordinal),
                MatchOp.Regex => regex!.IsMatch(actual),
                _ => !regex!.IsMatch(actual),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
