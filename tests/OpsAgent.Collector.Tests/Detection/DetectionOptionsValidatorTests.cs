using OpsAgent.Collector.Detection;

namespace OpsAgent.Collector.Tests.Detection;

public sealed class DetectionOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new DetectionOptionsValidator().Validate(null, new DetectionOptions()).Succeeded);
    }

    [Fact]
    public void Validate_EveryProblem_IsReportedWithItsKey()
    {
        var options = new DetectionOptions
        {
            Workers = -1,
            QueueCapacity = 0,
            MaxSeries = 0,
            LearningSamples = -5,
            CheckpointInterval = TimeSpan.Zero,
            StaleAfter = TimeSpan.FromHours(2),
            IdleAfter = TimeSpan.FromHours(1),
            Exclude = ["", "system.*"],
            Alert = new DetectionAlertOptions { RaiseThreshold = 0.4, ClearThreshold = 0.6 },
            Forecast = new DetectionForecastOptions { MinConfidence = 1.5, CriticalWithin = TimeSpan.FromDays(2) },
        };

        var result = new DetectionOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        string[] expectedKeys =
        [
            "Collector:Detection:Workers", "Collector:Detection:QueueCapacity", "Collector:Detection:MaxSeries",
            "Collector:Detection:LearningSamples", "Collector:Detection:CheckpointInterval", "Collector:Detection:IdleAfter",
            "Collector:Detection:Exclude:0", "Collector:Detection:Alert:ClearThreshold", "Collector:Detection:Forecast:MinConfidence",
            "Collector:Detection:Forecast:CriticalWithin",
        ];
        foreach (string key in expectedKeys)
        {
            Assert.Contains(result.Failures!, f => f.StartsWith(key, StringComparison.Ordinal));
        }

        Assert.Equal(expectedKeys.Length, result.Failures!.Count());
    }
}
