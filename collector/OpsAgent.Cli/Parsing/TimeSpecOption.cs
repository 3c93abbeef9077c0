using System.CommandLine;

namespace OpsAgent.Cli.Parsing;

/// <summary>An option that takes a <see cref="TimeSpec"/> (a duration ago, "now" or an RFC 3339 time), e.g. --since.</summary>
internal static class TimeSpecOption
{
    public static Option<TimeSpec?> Create(string optionName, string description) => new(optionName)
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
}
