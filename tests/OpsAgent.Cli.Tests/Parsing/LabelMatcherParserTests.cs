extern alias Cli;

using Cli::OpsAgent.Cli.Parsing;
using CliProtocol = Cli::OpsAgent.Protocol;

namespace OpsAgent.Cli.Tests.Parsing;

public sealed class LabelMatcherParserTests
{
    [Theory]
    [InlineData("env=prod", "env", "Equal", "prod")]
    [InlineData("env!=prod", "env", "NotEqual", "prod")]
    [InlineData("cpu=~0|1", "cpu", "Regex", "0|1")]
    [InlineData("cpu!~0|1", "cpu", "NotRegex", "0|1")]
    [InlineData("query=a=b", "query", "Equal", "a=b")]
    [InlineData("service.name=api", "service.name", "Equal", "api")]
    [InlineData("mountpoint=", "mountpoint", "Equal", "")]
    public void TryParse_Valid_GivesMatcherThatFormatsBack(string text, string key, string op, string value)
    {
        Assert.True(LabelMatcherParser.TryParse(text, out var matcher, out _));
        Assert.Equal(key, matcher.Key);
        Assert.Equal(Enum.Parse<CliProtocol.MatchOp>(op), matcher.Op);
        Assert.Equal(value, matcher.Value);
        Assert.Equal(text, LabelMatcherParser.Format(matcher));
    }

    [Theory]
    [InlineData("env", "--label 'env' has no operator. Use KEY=VALUE (also KEY!=VALUE, KEY=~REGEX, KEY!~REGEX).")]
    [InlineData("=prod", "--label '=prod' has no key. Use KEY=VALUE (also KEY!=VALUE, KEY=~REGEX, KEY!~REGEX).")]
    [InlineData("env!prod", "--label 'env!prod' has no valid operator. Use KEY=VALUE (also KEY!=VALUE, KEY=~REGEX, KEY!~REGEX).")]
    [InlineData("my-env=prod", "--label 'my-env=prod': 'my-env' is not a label key (letters, digits, '_' and '.', not starting with a digit).")]
    public void TryParse_Invalid_ExplainsTheFix(string text, string expected)
    {
        Assert.False(LabelMatcherParser.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_BadRegex_NamesTheRegex()
    {
        Assert.False(LabelMatcherParser.TryParse("cpu=~(", out _, out var error));
        Assert.StartsWith("--label 'cpu=~(': '(' is not a valid regular expression: ", error, StringComparison.Ordinal);
    }
}
