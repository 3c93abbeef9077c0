using OpsAgent.Agent.Configuration;

namespace OpsAgent.Agent.Tests.Configuration;

public sealed class AgentOptionsValidatorTests
{
    private static AgentOptions Valid() => new() { CollectorUrl = "http://127.0.0.1:7400", StateDirectory = "/tmp/x" };

    [Fact]
    public void Validate_ValidOptions_Succeeds()
    {
        Assert.True(new AgentOptionsValidator().Validate(null, Valid()).Succeeded);
    }

    [Theory]
    [InlineData("http://collector.example.com:7400")]
    [InlineData("http://10.0.0.5:7400")]
    public void Validate_PlainHttpToAnotherMachine_RefusedWithTheFix(string url)
    {
        AgentOptions options = Valid();
        options.CollectorUrl = url;

        string failure = Assert.Single(new AgentOptionsValidator().Validate(null, options).Failures!);

        Assert.Contains("is plain HTTP to another machine", failure, StringComparison.Ordinal);
        Assert.Contains("use https://, and enrol this agent with a token (Agent:Enrollment:Token)", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:7400")]
    [InlineData("http://[::1]:7400")]
    [InlineData("https://collector.example.com:7400")]
    public void Validate_LoopbackHttpOrAnyHttps_Succeeds(string url)
    {
        AgentOptions options = Valid();
        options.CollectorUrl = url;

        Assert.True(new AgentOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_MalformedEnrollmentToken_NamesKey()
    {
        AgentOptions options = Valid();
        options.Enrollment.Token = "oa_0123456789ab_0123456789abcdef0123456789abcdef";

        string failure = Assert.Single(new AgentOptionsValidator().Validate(null, options).Failures!);

        Assert.StartsWith("Agent:Enrollment:Token is not an enrolment token.", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingCollectorUrl_NamesKeyAndFix()
    {
        AgentOptions options = Valid();
        options.CollectorUrl = null;

        var result = new AgentOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        string failure = Assert.Single(result.Failures!);
        Assert.Contains("Agent:CollectorUrl", failure, StringComparison.Ordinal);
        Assert.Contains("OPSAGENT_Agent__CollectorUrl", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("collector:7400")]
    [InlineData("ftp://collector:7400")]
    [InlineData("not a url")]
    public void Validate_BadCollectorUrl_Fails(string url)
    {
        AgentOptions options = Valid();
        options.CollectorUrl = url;

        var result = new AgentOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.Contains("Agent:CollectorUrl", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsAllAtOnce()
    {
        AgentOptions options = Valid();
        options.Metrics.IntervalSeconds = 0;
        options.AgentId = "bad id with spaces";
        options.Labels["host"] = "x";
        options.Labels["9bad"] = "y";
        options.Uplink.ReconnectMinDelay = TimeSpan.FromMinutes(5);
        options.Uplink.ReconnectMaxDelay = TimeSpan.FromMinutes(1);
        options.Outbox.MaxMemoryBytes = 10;

        var failures = new AgentOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.Contains("Agent:Metrics:IntervalSeconds", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Agent:AgentId", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Agent:Labels:host is reserved", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Agent:Labels:9bad", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Agent:Uplink:ReconnectMinDelay", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Agent:Outbox:MaxMemoryBytes", StringComparison.Ordinal));
        Assert.Equal(6, failures.Count);
    }
}
