using Microsoft.Extensions.Options;
using OpsAgent.Collector.Playbooks;

namespace OpsAgent.Collector.Tests.Playbooks;

public sealed class PlaybookOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_AreValid()
    {
        Assert.True(new PlaybookOptionsValidator().Validate(null, new PlaybookOptions { Directory = "/var/lib/opsagent-collector/playbooks" }).Succeeded);
    }

    [Fact]
    public void Validate_EveryBadValue_IsReportedWithItsKey()
    {
        var options = new PlaybookOptions
        {
            Directory = " ",
            RescanInterval = TimeSpan.Zero,
            CommandExpiry = TimeSpan.FromSeconds(1),
            ResultGrace = TimeSpan.FromHours(2),
            RunRetention = TimeSpan.FromHours(1),
            TickInterval = TimeSpan.FromMinutes(5),
            QueueCapacity = 1,
        };

        ValidateOptionsResult result = new PlaybookOptionsValidator().Validate(null, options);

        Assert.Equal(
            ["Directory", "RescanInterval", "CommandExpiry", "ResultGrace", "RunRetention", "TickInterval", "QueueCapacity"],
            result.Failures!.Select(f => f.Split(' ')[0].Replace("Collector:Playbooks:", "", StringComparison.Ordinal)));
        Assert.Contains("Collector:Playbooks:RunRetention must be between 1.00:00:00 and 400.00:00:00; got 01:00:00.", result.Failures!);
    }
}
