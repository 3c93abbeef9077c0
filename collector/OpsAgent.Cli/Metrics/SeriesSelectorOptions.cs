using System.CommandLine;
using OpsAgent.Cli.Parsing;
using OpsAgent.Protocol;
// OpsAgent.Protocol has a Command message (commands sent to agents); here Command is a CLI command.
using Command = System.CommandLine.Command;

namespace OpsAgent.Cli.Metrics;

/// <summary>--host and --label, shared by the metrics commands, turned into the Admin API's label matchers.</summary>
internal sealed class SeriesSelectorOptions
{
    // The collector matches these two keys against the agent's hostname and id (admin.proto, ListSeriesRequest).
    public const string HostKey = "host";
    public const string AgentIdKey = "agent_id";

    public Option<string?> Host { get; } = new("--host")
    {
        Description = "Only series from this host (its host name)",
        HelpName = "HOST",
    };

    public Option<LabelMatcher[]> Labels { get; } = new("--label", "-l")
    {
        Description = "Only series whose labels match KEY=VALUE, KEY!=VALUE, KEY=~REGEX or KEY!~REGEX; repeatable",
        HelpName = "KEY=VALUE",
        AllowMultipleArgumentsPerToken = false,
        CustomParser = result =>
        {
            var matchers = new List<LabelMatcher>(result.Tokens.Count);
            foreach (var token in result.Tokens)
            {
                if (LabelMatcherParser.TryParse(token.Value, out var matcher, out var error))
                {
                    matchers.Add(matcher);
                }
                else
                {
                    result.AddError(error);
                }
            }

            return [.. matchers];
        },
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Host);
        command.Options.Add(Labels);
    }

    public List<LabelMatcher> GetMatchers(ParseResult parseResult)
    {
        var matchers = new List<LabelMatcher>();
        if (parseResult.GetValue(Host) is { Length: > 0 } host)
        {
            matchers.Add(new LabelMatcher { Key = HostKey, Op = MatchOp.Equal, Value = host });
        }

        matchers.AddRange(parseResult.GetValue(Labels) ?? []);
        return matchers;
    }
}
