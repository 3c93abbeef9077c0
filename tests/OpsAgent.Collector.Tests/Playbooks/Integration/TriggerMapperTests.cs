using OpsAgent.Collector.Detection;
using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Collector.Playbooks.Integration;
using AlertSeverity = OpsAgent.Collector.Detection.AlertSeverity;
using AnomalyKind = OpsAgent.Collector.Detection.AnomalyKind;
using DetectionEvent = OpsAgent.Collector.Detection.DetectionEvent;
using MetricKind = OpsAgent.Protocol.MetricKind;
using Resolution = OpsAgent.Collector.Detection.Resolution;

namespace OpsAgent.Collector.Tests.Playbooks.Integration;

public sealed class TriggerMapperTests
{
    private static readonly long T0 = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void Map_AnomalyOpened_AnomalyRaisedWithTheIncidentIdMergedLabelsAndScoreSeverity()
    {
        AnomalyRecord anomaly = Anomaly(peakScore: 0.85);

        var raised = Assert.IsType<PlaybookInput.TriggerRaised>(TriggerMapper.Map(Event(DetectionEventKind.AnomalyOpened, Incident(), anomaly)));

        PlaybookTrigger t = raised.Trigger;
        Assert.Equal((TriggerKind.AnomalyRaised, "7", "agent-1", "web-1", "system.filesystem.utilization"), (t.Kind, t.IncidentId, t.AgentId, t.Host, t.Metric));
        Assert.Equal(TriggerSeverity.Warning, t.Severity);
        // The series' own label wins over the agent's label of the same name.
        Assert.Equal(("prod", "/var", "series"), (t.Labels["env"], t.Labels["mountpoint"], t.Labels["role"]));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 1000), t.RaisedAt);
    }

    [Fact]
    public void Map_IncidentOpenedAndEscalated_IncidentKindsWithTheIncidentTitle()
    {
        var opened = Assert.IsType<PlaybookInput.TriggerRaised>(TriggerMapper.Map(Event(DetectionEventKind.IncidentOpened, Incident(), Anomaly(peakScore: 0.97))));
        var escalated = Assert.IsType<PlaybookInput.TriggerRaised>(TriggerMapper.Map(Event(DetectionEventKind.IncidentEscalated, Incident(), Anomaly(peakScore: 0.5))));

        Assert.Equal((TriggerKind.IncidentOpened, TriggerSeverity.Critical, "disk on web-1"), (opened.Trigger.Kind, opened.Trigger.Severity, opened.Trigger.Summary));
        Assert.Equal((TriggerKind.IncidentEscalated, TriggerSeverity.Critical), (escalated.Trigger.Kind, escalated.Trigger.Severity));
    }

    [Fact]
    public void Map_ExhaustionAnomaly_ForecastKindGradedByItsEarliestExhaustion()
    {
        var forecast = new ForecastSnapshot(0.9, 0.01, (long)TimeSpan.FromHours(8).TotalMilliseconds, (long)TimeSpan.FromHours(3).TotalMilliseconds, -1, 0.99, T0);

        var raised = Assert.IsType<PlaybookInput.TriggerRaised>(TriggerMapper.Map(Event(
            DetectionEventKind.AnomalyOpened, Incident(), Anomaly(kind: AnomalyKind.Exhaustion, forecast: forecast))));

        Assert.Equal((TriggerKind.ExhaustionForecast, TriggerSeverity.Warning), (raised.Trigger.Kind, raised.Trigger.Severity));
    }

    [Theory]
    [InlineData("Recovered", 0, true)]
    [InlineData("Settled", 0, true)]
    [InlineData("NoData", 0, false)]
    [InlineData("Manual", 0, false)]
    [InlineData("Recovered", 1, false)]
    public void Map_AnomalyResolved_RecoveredOnlyWhenTheLastOpenAnomalyCameBack(string resolution, int stillOpen, bool recovered)
    {
        AnomalyRecord anomaly = Anomaly() with { Open = false, Resolution = Enum.Parse<Resolution>(resolution) };

        PlaybookInput? input = TriggerMapper.Map(Event(DetectionEventKind.AnomalyResolved, Incident() with { OpenAnomalies = stillOpen }, anomaly));

        Assert.Equal(recovered, input is PlaybookInput.TriggerRecovered { AgentId: "agent-1", IncidentId: "7" });
    }

    [Fact]
    public void Map_IncidentResolvedUnlessNoData_Recovered()
    {
        Assert.IsType<PlaybookInput.TriggerRecovered>(TriggerMapper.Map(Event(DetectionEventKind.IncidentResolved, Incident() with { Open = false, Resolution = Resolution.Manual }, null)));
        Assert.Null(TriggerMapper.Map(Event(DetectionEventKind.IncidentResolved, Incident() with { Open = false, Resolution = Resolution.NoData }, null)));
        Assert.Null(TriggerMapper.Map(Event(DetectionEventKind.AnomalyOpened, null, Anomaly())));
    }

    private static DetectionEvent Event(DetectionEventKind kind, IncidentRecord? incident, AnomalyRecord? anomaly) => new(1, kind, T0, incident, anomaly);

    private static IncidentRecord Incident() => new(
        7, "agent-1", "web-1", new Dictionary<string, string> { ["env"] = "prod", ["role"] = "web" }, AlertSeverity.Warning, true, T0, T0, 0,
        Resolution.None, "disk on web-1", 1, 1, ["system.filesystem.utilization"]);

    private static AnomalyRecord Anomaly(double peakScore = 0.9, AnomalyKind kind = AnomalyKind.Metric, ForecastSnapshot? forecast = null) => new(
        3, 7, kind, AlertSeverity.Warning, true,
        new SeriesIdentity(11, "agent-1", "web-1", "system.filesystem.utilization",
            [new("mountpoint", "/var"), new("role", "series")], MetricKind.Gauge, "1", new Dictionary<string, string> { ["env"] = "prod", ["role"] = "web" }),
        T0, T0 + 1000, T0 + 1000, T0 + 1000, 0, Resolution.None, peakScore, 0.97, 0.4, 0.6, forecast);
}
