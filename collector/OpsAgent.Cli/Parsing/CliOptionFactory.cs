using System.CommandLine;

namespace OpsAgent.Cli.Parsing;

/// <summary>Options whose values share one parser across commands: times, durations and label assignments.</summary>
internal static class CliOptionFactory
{
    /// <summary>A point in time: a duration ago (15m), "now" or an RFC 3339 time.</summary>
    public static Option<TimeSpec?> Time(string optionName, string description) => new(optionName)
    {
        Description = description,
        HelpName = "TIME",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (TimeSpec.TryParse(optionName, text, out var spec, out var error))
            {
                return spec;
            }

            result.AddError(error);
            return null;
        },
    };

    /// <summary>A positive duration no longer than <paramref name="max"/> (1h, 30d, 1h30m).</summary>
    public static Option<TimeSpan?> Duration(string optionName, string description, TimeSpan max) => new(optionName)
    {
        Description = description,
        HelpName = "DURATION",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (!DurationParser.TryParse(optionName, text, out var duration, out var error))
            {
                result.AddError(error);
                return null;
            }

            if (duration < TimeSpan.FromSeconds(1) || duration > max)
            {
                result.AddError($"{optionName} '{text}' must be between 1s and {DurationParser.Format(max)}.");
                return null;
            }

            return duration;
        },
    };

    /// <summary>Labels to set: KEY=VALUE, repeated or comma-separated (--labels env=prod,role=web).</summary>
    public static Option<Dictionary<string, string>?> Labels(string optionName, string description) => new(optionName)
    {
        Description = description,
        HelpName = "KEY=VALUE",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
        CustomParser = result =>
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var token in result.Tokens)
            {
                foreach (var part in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    int eq = part.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        result.AddError($"{optionName} '{part}' is not KEY=VALUE, e.g. {optionName} env=prod,role=web.");
                        return null;
                    }

                    string key = part[..eq].Trim();
                    if (!labels.TryAdd(key, part[(eq + 1)..].Trim()))
                    {
                        result.AddError($"{optionName} sets '{key}' twice.");
                        return null;
                    }
                }
            }

            return labels;
        },
    };
}
