using OpsAgent.Cli.Tests.Infrastructure;

namespace OpsAgent.Cli.Tests.Exec;

public sealed class ExecCommandTests
{
    [Theory]
    [InlineData("--larger-than", "10 parsecs", "--larger-than '10 parsecs' is not a size; write bytes (1048576) or a number with a unit")]
    [InlineData("--larger-than", "1.5GB", "--larger-than '1.5GB' is not a size")]
    [InlineData("--older-than", "30", "--older-than '30' is not a duration")]
    public async Task Run_CleanupWithBadFilter_UsageErrorNamingTheOptionBeforeAnyCall(string option, string value, string expected)
    {
        // Port 1 on loopback: nothing listens there, so a usage error proves the value was refused before any call.
        CliResult result = await new CliRunner().RunAsync("exec", "web-1", "cleanup", "/var/tmp", "--pattern", "*.tmp", option, value, "--collector", "http://127.0.0.1:1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CleanupWithoutAnyFilter_UsageErrorSayingWhatIsNeeded()
    {
        CliResult result = await new CliRunner().RunAsync("exec", "web-1", "cleanup", "/var/tmp", "--pattern", "*.tmp", "--collector", "http://127.0.0.1:1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cleanup needs --older-than, --larger-than or both", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10MiB")]
    [InlineData("500KB")]
    [InlineData("1048576")]
    public async Task Run_CleanupWithSizeAsPlaybooksWriteIt_AcceptedAndSentToTheCollector(string size)
    {
        CliResult result = await new CliRunner().RunAsync("exec", "web-1", "cleanup", "/var/tmp", "--pattern", "*.tmp", "--larger-than", size, "--collector", "http://127.0.0.1:1");

        // Past parsing: the only problem left is that nothing listens on port 1.
        Assert.NotEqual(2, result.ExitCode);
        Assert.DoesNotContain("is not a size", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", result.Stderr, StringComparison.Ordinal);
    }
}
