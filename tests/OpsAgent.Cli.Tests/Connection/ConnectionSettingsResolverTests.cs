extern alias Cli;

using Cli::OpsAgent.Cli.Connection;
using Cli::OpsAgent.Cli.Invocation;

namespace OpsAgent.Cli.Tests.Connection;

public sealed class ConnectionSettingsResolverTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Resolve_NothingSet_UsesLoopbackDefault()
    {
        var settings = ConnectionSettingsResolver.Resolve(null, Timeout, Env());

        Assert.Equal("http://127.0.0.1:7401", settings.DisplayUrl);
        Assert.Equal("default", settings.CollectorSource);
        Assert.Null(settings.Token);
        Assert.Equal(Timeout, settings.Timeout);
    }

    [Fact]
    public void Resolve_Environment_WinsOverDefault()
    {
        var settings = ConnectionSettingsResolver.Resolve(null, Timeout, Env(("OPSAGENT_COLLECTOR", "https://collector.example:7401")));

        Assert.Equal("https://collector.example:7401", settings.DisplayUrl);
        Assert.Equal("OPSAGENT_COLLECTOR", settings.CollectorSource);
    }

    [Fact]
    public void Resolve_Option_WinsOverEnvironment()
    {
        var settings = ConnectionSettingsResolver.Resolve(
            "http://127.0.0.2:9000/", Timeout, Env(("OPSAGENT_COLLECTOR", "https://collector.example:7401")));

        Assert.Equal("http://127.0.0.2:9000", settings.DisplayUrl);
        Assert.Equal("--collector", settings.CollectorSource);
    }

    [Theory]
    [InlineData("http://127.0.0.1:7401")]
    [InlineData("http://localhost:7401")]
    [InlineData("http://[::1]:7401")]
    [InlineData("https://collector.example:7401")]
    public void Resolve_TokenOverLoopbackOrTls_IsSent(string collector)
    {
        var settings = ConnectionSettingsResolver.Resolve(collector, Timeout, Env(("OPSAGENT_TOKEN", " s3cret ")));

        Assert.Equal("s3cret", settings.Token);
    }

    [Fact]
    public void Resolve_TokenOverPlainHttpElsewhere_IsRefused()
    {
        var error = Assert.Throws<CliException>(() =>
            ConnectionSettingsResolver.Resolve("http://collector.example:7401", Timeout, Env(("OPSAGENT_TOKEN", "s3cret"))));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("in clear text to http://collector.example:7401", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:7401", "for example http://127.0.0.1:7401.")]
    [InlineData("grpc://127.0.0.1:7401", "for example http://127.0.0.1:7401.")]
    [InlineData("http://", "for example http://127.0.0.1:7401.")]
    public void Resolve_NotAnHttpUrl_SuggestsOne(string collector, string suggestion)
    {
        var error = Assert.Throws<CliException>(() => ConnectionSettingsResolver.Resolve(collector, Timeout, Env()));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.StartsWith($"--collector '{collector}' is not a collector URL.", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(suggestion, error.Message, StringComparison.Ordinal);
    }
}
