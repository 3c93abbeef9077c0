extern alias Cli;

using Cli::OpsAgent.Cli.Output;

namespace OpsAgent.Cli.Tests.Output;

public sealed class LabelFormatterTests
{
    [Fact]
    public void Format_Labels_AreSortedByKeyWithoutExcludedKeys()
    {
        var labels = new Dictionary<string, string> { ["state"] = "user", ["host"] = "web-1", ["cpu"] = "0" };

        Assert.Equal("cpu=0,state=user", LabelFormatter.Format(labels, "host"));
    }

    [Fact]
    public void Format_NoLabels_IsADash() =>
        Assert.Equal("-", LabelFormatter.Format(new Dictionary<string, string> { ["host"] = "web-1" }, "host"));
}
