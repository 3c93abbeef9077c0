using OpsAgent.Collector.Detection;

namespace OpsAgent.Collector.Tests.Detection;

public sealed class AnomalyDescriptionTests
{
    [Theory]
    [InlineData(45_000, "45s")]
    [InlineData(30 * 60_000, "30m")]
    [InlineData(4 * 3_600_000, "4h")]
    [InlineData((3 * 3_600_000) + (20 * 60_000), "3h20m")]
    [InlineData(13 * 3_600_000, "13h")]
    [InlineData((2 * 86_400_000) + (3 * 3_600_000), "2d3h")]
    [InlineData(-5, "0s")]
    public void Duration_Milliseconds_AtMostTwoUnits(long ms, string expected)
    {
        Assert.Equal(expected, AnomalyDescription.Duration(ms));
    }

    [Fact]
    public void Describe_MetricAndExhaustion_SayWhatWhereAndHowFarFromUsual()
    {
        var series = new SeriesIdentity(1, "a-1", "web-1", "system.memory.usage", [KeyValuePair.Create("state", "used")], OpsAgent.Protocol.MetricKind.Gauge, "By", new Dictionary<string, string>());
        var metric = new AnomalyRecord(0, 0, AnomalyKind.Metric, AlertSeverity.Warning, true, series, 0, 0, 0, 0, 0, Resolution.None, 0.7, 3.5 * 1024 * 1024 * 1024, 1024 * 1024 * 1024, 2L * 1024 * 1024 * 1024, null);
        var disk = series with { Name = "system.filesystem.utilization", Unit = "1", Labels = [KeyValuePair.Create("mountpoint", "/var")] };
        var exhaustion = new AnomalyRecord(0, 0, AnomalyKind.Exhaustion, AlertSeverity.Critical, true, disk, 0, 0, 0, 0, 0, Resolution.None, 0.99, 0.9, double.NaN, double.NaN,
            new ForecastSnapshot(0.9, 0.025, 4 * 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 0.99, 0));

        Assert.Equal("system.memory.usage{state=used} on web-1 at 3.5 GiB (usually 1 GiB to 2 GiB)", metric.Summary);
        Assert.Equal("filesystem /var on web-1 full in ~4h (3h–6h, 99% sure; now 90%)", exhaustion.Summary);
    }
}
