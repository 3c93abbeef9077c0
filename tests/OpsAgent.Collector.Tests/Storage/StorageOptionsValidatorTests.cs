using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Tests.Storage;

public sealed class StorageOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(new StorageOptionsValidator().Validate(null, new StorageOptions()).Succeeded);
    }

    [Fact]
    public void Validate_ShortRetentionAndZeroQueue_ReportsBothWithKeyAndFix()
    {
        var options = new StorageOptions { Retention = TimeSpan.FromMinutes(10), QueueCapacity = 0 };

        var result = new StorageOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Collector:Storage:Retention must be at least 1 hour; got 00:10:00.", result.Failures!);
        Assert.Contains(result.Failures!, f => f.StartsWith("Collector:Storage:QueueCapacity must be between 1", StringComparison.Ordinal));
    }
}
