using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Parsing;

/// <summary>
/// Label matchers in the form Prometheus users know: KEY=VALUE, KEY!=VALUE, KEY=~REGEX, KEY!~REGEX.
/// </summary>
internal static partial class LabelMatcherParser
{
    public const string Syntax = "KEY=VALUE (also KEY!=VALUE, KEY=~REGEX, KEY!~REGEX)";

    public static bool TryParse(string text, [NotNullWhen(true)] out LabelMatcher? matcher, [NotNullWhen(false)] out string? error)
    {
        matcher = null;
        var operatorAt = text.AsSpan().IndexOfAny('=', '!');
        if (operatorAt < 0)
        {
            error = $"--label '{text}' has no operator. Use {Syntax}.";
            return false;
        }

        var key = text[..operatorAt].Trim();
        var rest = text.AsSpan(operatorAt);
        (MatchOp op, int length) = rest switch
        {
            _ when rest.StartsWith("!=") => (MatchOp.NotEqual, 2),
            _ when rest.StartsWith("!~") => (MatchOp.NotRegex, 2),
            _ when rest.StartsWith("=~") => (MatchOp.Regex, 2),
            _ when rest.StartsWith("=") => (MatchOp.Equal, 1),
            _ => (MatchOp.Equal, 0),
        };

        if (length == 0)
        {
            error = $"--label '{text}' has no valid operator. Use {Syntax}.";
            return false;
        }

        if (!KeyPattern().IsMatch(key))
        {
            error = key.Length == 0
                ? $"--label '{text}' has no key. Use {Syntax}."
                : $"--label '{text}': '{key}' is not a label key (letters, digits, '_' and '.', not starting with a digit).";
            return false;
        }

        var value = text[(operatorAt + length)..];
        if (op is MatchOp.Regex or MatchOp.NotRegex && !IsValidRegex(value, out var regexError))
        {
            error = $"--label '{text}': '{value}' is not a valid regular expression: {regexError}";
            return false;
        }

        matcher = new LabelMatcher { Key = key, Op = op, Value = value };
        error = null;
        return true;
    }

    /// <summary>The matcher as the user would type it, for titles and messages.</summary>
    public static string Format(LabelMatcher matcher) => matcher.Key + matcher.Op switch
    {
        MatchOp.NotEqual => "!=",
        MatchOp.Regex => "=~",
        MatchOp.NotRegex => "!~",
        _ => "=",
    } + matcher.Value;

    private static bool IsValidRegex(string pattern, [NotNullWhen(false)] out string? error)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            error = null;
            return true;
        }
        catch (ArgumentException exception)
        {
            error = exception.Message;
            return false;
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.]*$")]
    private static partial Regex KeyPattern();
}
