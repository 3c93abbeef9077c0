using Microsoft.Extensions.Options;
using OpsAgent.Agent.Sources.Host;

namespace OpsAgent.Agent.Tests.Sources.Host;

public sealed class HostMetricsOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        ValidateOptionsResult result = new HostMetricsOptionsValidator().Validate(null, new HostMetricsOptions());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_EveryKeyWrong_NamesEveryKeyAndTheFix()
    {
        var options = new HostMetricsOptions
        {
            ProcRoot = "proc",
            SysRoot = "",
            FilesystemTimeout = TimeSpan.Zero,
            MaxFilesystems = 0,
            ExcludedNetworkInterfaces = ["lo", " "],
        };

        ValidateOptionsResult result = new HostMetricsOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        string[] failures = result.Failures!.ToArray();
        Assert.Equal(5, failures.Length);
        Assert.Contains(failures, f => f.StartsWith("Agent:Metrics:Host:ProcRoot", StringComparison.Ordinal) && f.Contains("/proc", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:Metrics:Host:SysRoot", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:Metrics:Host:FilesystemTimeout", StringComparison.Ordinal) && f.Contains("between", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:Metrics:Host:MaxFilesystems", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:Metrics:Host:ExcludedNetworkInterfaces:1", StringComparison.Ordinal));
    }
}
