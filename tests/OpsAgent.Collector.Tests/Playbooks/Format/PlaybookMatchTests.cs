using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Collector.Playbooks.Format;

namespace OpsAgent.Collector.Tests.Playbooks.Format;

public sealed class PlaybookMatchTests
{
    private static readonly PlaybookMatch Match = Parse("""
        kind: [incident_opened, exhaustion_forecast]
        metric: system.filesystem.*
        host: web-*
        labels: { mountpoint: /var, env: prod }
        min_severity: warning
        """);

    [Fact]
    public void Matches_EveryConditionHolds_IsTrue()
    {
        Assert.True(Match.Matches(Trigger()));
        Assert.True(Match.Matches(Trigger() with { Kind = TriggerKind.ExhaustionForecast, Severity = TriggerSeverity.Critical, Host = "WEB-9" }));
    }

    [Fact]
    public void Matches_AnyConditionFails_IsFalse()
    {
        Assert.False(Match.Matches(Trigger() with { Kind = TriggerKind.AnomalyRaised }));
        Assert.False(Match.Matches(Trigger() with { Metric = "system.memory.usage" }));
        Assert.False(Match.Matches(Trigger() with { Metric = null }));
        Assert.False(Match.Matches(Trigger() with { Host = "db-1" }));
        Assert.False(Match.Matches(Trigger() with { Severity = TriggerSeverity.Info }));
        Assert.False(Match.Matches(Trigger() with { Labels = new Dictionary<string, string> { ["mountpoint"] = "/var" } }));
        Assert.False(Match.Matches(Trigger() with { Labels = new Dictionary<string, string> { ["mountpoint"] = "/VAR", ["env"] = "prod" } }));
    }

    [Fact]
    public void Matches_LogTemplateGlob_NeedsATemplate()
    {
        PlaybookMatch logs = Parse("kind: anomaly_raised\nlog_template: \"*connection refused*\"");

        Assert.True(logs.Matches(Trigger() with { Kind = TriggerKind.AnomalyRaised, LogTemplate = "upstream <*>: connection refused (<*>)" }));
        Assert.False(logs.Matches(Trigger() with { Kind = TriggerKind.AnomalyRaised, LogTemplate = null }));
    }

    [Fact]
    public void Matches_OnlyKind_MatchesAnyTriggerOfThatKind()
    {
        PlaybookMatch any = Parse("kind: incident_escalated");

        Assert.True(any.Matches(Trigger() with { Kind = TriggerKind.IncidentEscalated, Metric = null, Labels = new Dictionary<string, string>(), Severity = TriggerSeverity.Info }));
    }

    [Theory]
    [InlineData(0.5, "info")]
    [InlineData(0.8, "warning")]
    [InlineData(0.949, "warning")]
    [InlineData(0.95, "critical")]
    public void FromAnomalyScore_MapsOntoTheScale(double score, string expected)
    {
        Assert.Equal(expected, SeverityScale.Name(SeverityScale.FromAnomalyScore(score)));
    }

    [Theory]
    [InlineData(30, "critical")]
    [InlineData(60, "critical")]
    [InlineData(61, "warning")]
    [InlineData(360, "warning")]
    [InlineData(361, "info")]
    public void FromTimeToExhaustion_MapsOntoTheScale(int minutes, string expected)
    {
        Assert.Equal(expected, SeverityScale.Name(SeverityScale.FromTimeToExhaustion(TimeSpan.FromMinutes(minutes))));
    }

    [Fact]
    public void ForIncident_IsItsWorstAnomalyOrCriticalWhenEscalated()
    {
        Assert.Equal(TriggerSeverity.Warning, SeverityScale.ForIncident([TriggerSeverity.Info, TriggerSeverity.Warning], escalated: false));
        Assert.Equal(TriggerSeverity.Critical, SeverityScale.ForIncident([TriggerSeverity.Info], escalated: true));
        Assert.Equal(TriggerSeverity.Info, SeverityScale.ForIncident([], escalated: false));
    }

    private static PlaybookTrigger Trigger() => new(
        TriggerKind.IncidentOpened, "inc-1", "agent-1", "web-1",
        new Dictionary<string, string> { ["mountpoint"] = "/var", ["env"] = "prod", ["device"] = "sda1" },
        "system.filesystem.utilization", null, TriggerSeverity.Warning, DateTimeOffset.UnixEpoch, "disk filling");

    private static PlaybookMatch Parse(string match)
    {
        string indented = string.Join("\n", match.Split('\n').Select(l => "  " + l));
        PlaybookParseResult result = PlaybookParser.Parse($"name: m\nmatch:\n{indented}\nactions: [ {{ restart_service: {{ service: a }} }} ]\n");
        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        return result.Playbook!.Match;
    }
}
