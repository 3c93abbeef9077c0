using OpsAgent.Protocol;

namespace OpsAgent.Cli.Tests.Infrastructure;

/// <summary>Sample anomalies and incidents, as a collector would report them, relative to <see cref="CliRunner.Now"/>.</summary>
internal static class Detections
{
    public static Anomaly Spike() => new()
    {
        AnomalyId = 12,
        IncidentId = 5,
        Kind = AnomalyKind.Metric,
        Severity = AlertSeverity.Critical,
        Open = true,
        SeriesId = 101,
        Metric = "system.cpu.utilization",
        Labels = { new Label { Key = "cpu", Value = "0" } },
        MetricKind = MetricKind.Gauge,
        Unit = "1",
        AgentId = "a-7f3c",
        Hostname = "web-1",
        HostLabels = { ["env"] = "prod" },
        StartedUnixMs = CliRunner.Ago(TimeSpan.FromMinutes(5)),
        RaisedUnixMs = CliRunner.Ago(TimeSpan.FromMinutes(5)),
        LastAnomalousUnixMs = CliRunner.Ago(TimeSpan.FromMinutes(4)),
        UpdatedUnixMs = CliRunner.Ago(TimeSpan.FromMinutes(1)),
        PeakScore = 0.94,
        Value = 0.97,
        UsualLow = 0.1,
        UsualHigh = 0.4,
        Summary = "system.cpu.utilization{cpu=0} on web-1 at 97% (usually 10% to 40%)",
    };

    public static Anomaly DiskFilling() => new()
    {
        AnomalyId = 11,
        IncidentId = 4,
        Kind = AnomalyKind.Exhaustion,
        Severity = AlertSeverity.Warning,
        Open = false,
        Resolution = Resolution.Recovered,
        SeriesId = 102,
        Metric = "system.filesystem.utilization",
        Labels = { new Label { Key = "mountpoint", Value = "/var" } },
        MetricKind = MetricKind.Gauge,
        Unit = "1",
        AgentId = "a-19be",
        Hostname = "db-1",
        StartedUnixMs = CliRunner.Ago(TimeSpan.FromHours(3)),
        RaisedUnixMs = CliRunner.Ago(TimeSpan.FromHours(3)),
        LastAnomalousUnixMs = CliRunner.Ago(TimeSpan.FromHours(2)),
        UpdatedUnixMs = CliRunner.Ago(TimeSpan.FromHours(2)),
        ResolvedUnixMs = CliRunner.Ago(TimeSpan.FromHours(2)),
        PeakScore = 0.99,
        Value = 0.8,
        UsualLow = double.NaN,
        UsualHigh = double.NaN,
        Forecast = new ExhaustionForecast
        {
            Level = 0.8,
            RatePerHour = 0.05,
            TimeToExhaustionMs = 4 * 3_600_000,
            EarliestMs = 3 * 3_600_000,
            LatestMs = -1,
            Confidence = 0.99,
            AsOfUnixMs = CliRunner.Ago(TimeSpan.FromHours(2)),
        },
        Summary = "filesystem /var on db-1 full in ~4h (at least 3h, 99% sure; now 80%)",
    };

    public static Incident WebIncident(bool withAnomalies = false)
    {
        var incident = new Incident
        {
            IncidentId = 5,
            AgentId = "a-7f3c",
            Hostname = "web-1",
            HostLabels = { ["env"] = "prod", ["role"] = "web" },
            Severity = AlertSeverity.Critical,
            Open = true,
            OpenedUnixMs = CliRunner.Ago(TimeSpan.FromMinutes(5)),
            UpdatedUnixMs = CliRunner.Ago(TimeSpan.FromMinutes(1)),
            Title = "system.cpu.utilization{cpu=0} on web-1 at 97% (usually 10% to 40%) (+1 more)",
            AnomalyCount = 2,
            OpenAnomalies = 1,
            Metrics = { "system.cpu.utilization", "system.memory.utilization" },
        };
        if (withAnomalies)
        {
            incident.Anomalies.Add(Spike());
        }

        return incident;
    }

    public static Incident DbIncident() => new()
    {
        IncidentId = 4,
        AgentId = "a-19be",
        Hostname = "db-1",
        Severity = AlertSeverity.Warning,
        Open = false,
        Resolution = Resolution.Recovered,
        OpenedUnixMs = CliRunner.Ago(TimeSpan.FromHours(3)),
        UpdatedUnixMs = CliRunner.Ago(TimeSpan.FromHours(2)),
        ResolvedUnixMs = CliRunner.Ago(TimeSpan.FromHours(2)),
        Title = "filesystem /var on db-1 full in ~4h (at least 3h, 99% sure; now 80%)",
        AnomalyCount = 1,
        Metrics = { "system.filesystem.utilization" },
    };
}
