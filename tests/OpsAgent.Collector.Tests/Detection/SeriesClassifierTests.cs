using OpsAgent.Collector.Detection;
using MetricKind = OpsAgent.Protocol.MetricKind;

namespace OpsAgent.Collector.Tests.Detection;

public sealed class SeriesClassifierTests
{
    private static SeriesTreatment Classify(SeriesClassifier classifier, string name, MetricKind kind = MetricKind.Gauge, string unit = "1", string? state = null) =>
        classifier.Classify(name, kind, unit, key => key == "state" ? state : null);

    [Theory]
    [InlineData("system.cpu.utilization", false, "1", null, "Detect")]
    [InlineData("system.network.io", true, "By", null, "Detect, Rate")]
    [InlineData("system.filesystem.utilization", false, "1", null, "Detect, Forecast")]
    [InlineData("system.filesystem.inodes.utilization", false, "1", null, "Detect, Forecast")]
    [InlineData("system.memory.utilization", false, "1", "used", "Detect, Forecast")]
    [InlineData("system.memory.utilization", false, "1", "cached", "Detect")]
    [InlineData("system.filesystem.usage", false, "By", "used", "Detect")]
    [InlineData("system.uptime", false, "s", null, "None")]
    [InlineData("system.memory.limit", false, "By", null, "None")]
    [InlineData("system.cpu.time", true, "s", null, "None")]
    [InlineData("system.cpu.logical.count", false, "{cpu}", null, "None")]
    public void Classify_Defaults_WatchWhatCanBeNews(string name, bool counter, string unit, string? state, string expected)
    {
        SeriesTreatment treatment = Classify(new SeriesClassifier(new DetectionOptions()), name, counter ? MetricKind.Counter : MetricKind.Gauge, unit, state);

        Assert.Equal(expected, treatment.ToString());
    }

    [Fact]
    public void Classify_ConfiguredGlobs_ExcludeAndInclude()
    {
        var classifier = new SeriesClassifier(new DetectionOptions { Include = ["system.*", "app.*"], Exclude = ["system.network.*"] });

        Assert.Equal(SeriesTreatment.Detect, Classify(classifier, "app.queue.depth"));
        Assert.Equal(SeriesTreatment.None, Classify(classifier, "system.network.io", MetricKind.Counter));
        Assert.Equal(SeriesTreatment.None, Classify(classifier, "other.metric"));
    }

    [Fact]
    public void Classify_ForecastsDisabled_NoForecaster()
    {
        var classifier = new SeriesClassifier(new DetectionOptions { Forecast = new DetectionForecastOptions { Enabled = false } });

        Assert.Equal(SeriesTreatment.Detect, Classify(classifier, "system.filesystem.utilization"));
    }
}
