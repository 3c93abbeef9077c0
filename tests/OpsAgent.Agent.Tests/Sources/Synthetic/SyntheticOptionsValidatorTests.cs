using Microsoft.Extensions.Options;
using OpsAgent.Agent.Sources.Synthetic;

namespace OpsAgent.Agent.Tests.Sources.Synthetic;

public sealed class SyntheticOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(new SyntheticOptionsValidator().Validate(null, new SyntheticOptions()).Succeeded);
    }

    [Fact]
    public void Validate_EveryKeyWrong_NamesEveryKeyAndTheFix()
    {
        var options = new SyntheticOptions
        {
            Series = 2,
            MetricName = "9bad name",
            Period = TimeSpan.Zero,
            Noise = double.NaN,
            Backfill = TimeSpan.FromDays(8),
            Faults = [new SyntheticFault { Duration = TimeSpan.FromSeconds(-1), Magnitude = double.PositiveInfinity, SeriesIndexes = [2] }],
        };

        ValidateOptionsResult result = new SyntheticOptionsValidator().Validate(null, options);

        string[] failures = result.Failures!.ToArray();
        Assert.Equal(8, failures.Length);
        Assert.Contains(failures, f => f.StartsWith("Agent:Metrics:Synthetic:MetricName", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:Metrics:Synthetic:Period", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:Metrics:Synthetic:Amplitude", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:Metrics:Synthetic:Backfill", StringComparison.Ordinal) && f.Contains("7.00:00:00", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:Metrics:Synthetic:Faults:0:Start", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:Metrics:Synthetic:Faults:0:Duration", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:Metrics:Synthetic:Faults:0:Magnitude", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:Metrics:Synthetic:Faults:0:SeriesIndexes", StringComparison.Ordinal));
    }
}
