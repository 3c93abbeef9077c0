using OpsAgent.Collector.Gateway;
using OpsAgent.Collector.Ingest;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Tests.Gateway;

public sealed class HelloValidatorTests
{
    private static Hello Valid() => new() { AgentId = "agent-1", Hostname = "web-1", AgentVersion = "0.1.0" };

    [Fact]
    public void Validate_Valid_ReturnsNull()
    {
        Assert.Null(HelloValidator.Validate(Valid(), new IngestOptions()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("../../etc/passwd")]
    public void Validate_BadAgentId_Explains(string id)
    {
        Hello hello = Valid();
        hello.AgentId = id;

        Assert.Contains("agent_id", HelloValidator.Validate(hello, new IngestOptions()), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReservedLabel_Explains()
    {
        Hello hello = Valid();
        hello.Labels["agent_id"] = "other";

        Assert.Contains("reserved", HelloValidator.Validate(hello, new IngestOptions()), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingHostname_Explains()
    {
        Hello hello = Valid();
        hello.Hostname = "";

        Assert.Contains("hostname", HelloValidator.Validate(hello, new IngestOptions()), StringComparison.Ordinal);
    }
}
