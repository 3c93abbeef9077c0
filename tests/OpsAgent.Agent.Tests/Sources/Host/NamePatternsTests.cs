using OpsAgent.Agent.Sources.Host;

namespace OpsAgent.Agent.Tests.Sources.Host;

public sealed class NamePatternsTests
{
    [Theory]
    [InlineData("lo", "lo", true)]
    [InlineData("lo", "lo0", false)]
    [InlineData("veth*", "veth3f1c0d6", true)]
    [InlineData("veth*", "veth", true)]
    [InlineData("veth*", "eth0", false)]
    [InlineData("/var/lib/docker/*", "/var/lib/docker/overlay2/abc/merged", true)]
    [InlineData("/var/lib/docker/*", "/var/lib/docker", false)]
    [InlineData("sd?", "sda", true)]
    [InlineData("sd?", "sda1", false)]
    [InlineData("*p?", "nvme0n1p1", true)]
    [InlineData("a*b*c", "aXXbYYbZZc", true)]
    [InlineData("a*b*c", "aXXbYYbZZ", false)]
    [InlineData("*", "", true)]
    [InlineData("x", "", false)]
    [InlineData("LO", "lo", false)]
    public void IsMatch_Glob_MatchesLikeAShell(string pattern, string name, bool expected)
    {
        Assert.Equal(expected, NamePatterns.IsMatch(pattern, name));
    }

    [Fact]
    public void Matches_AnyPatternOfTheList_ReturnsTrue()
    {
        var patterns = new NamePatterns(["lo", "veth*", ""]);

        Assert.True(patterns.Matches("veth0"));
        Assert.True(patterns.Matches("lo"));
        Assert.False(patterns.Matches("eth0"));
        Assert.False(patterns.Matches(""));
    }
}
