using System.Globalization;
using OpsAgent.Collector.Detection;
using OpsAgent.Collector.Playbooks.Engine;

namespace OpsAgent.Collector.Playbooks.Integration;

/// <summary>
/// Detection's events as the playbook engine's inputs (Playbooks/README.md, "What the integration step must wire"):
/// an anomaly raised (or worse than before) is <c>anomaly_raised</c>, or <c>exhaustion_forecast</c> for a forecast; an
/// incident opening is <c>incident_opened</c>; an incident becoming critical is <c>incident_escalated</c>. The signal
/// has recovered when the last open anomaly of the incident ended because its series came back (recovered) or settled
/// at a level detection now takes as normal, or when the incident closed; a series that stopped sending (no data) is
/// not a recovery, so a run waiting on it moves on at its deadline.
/// </summary>
internal static class TriggerMapper
{
    public static PlaybookInput? Map(DetectionEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        IncidentRecord? incident = e.Incident;
        AnomalyRecord? anomaly = e.Anomaly;
        if (incident is null)
        {
            return null;
        }

        return e.Kind switch
        {
            DetectionEventKind.AnomalyOpened or DetectionEventKind.AnomalyEscalated when anomaly is { Open: true } =>
                Raised(anomaly.Kind == AnomalyKind.Exhaustion ? TriggerKind.ExhaustionForecast : TriggerKind.AnomalyRaised, incident, anomaly, Severity(anomaly), anomaly.Summary),
            DetectionEventKind.IncidentOpened when anomaly is not null =>
                Raised(TriggerKind.IncidentOpened, incident, anomaly, Severity(anomaly), incident.Title),
            DetectionEventKind.IncidentEscalated when anomaly is not null =>
                Raised(TriggerKind.IncidentEscalated, incident, anomaly, TriggerSeverity.Critical, incident.Title),
            DetectionEventKind.AnomalyResolved when incident.OpenAnomalies == 0 && anomaly?.Resolution is Resolution.Recovered or Resolution.Settled =>
                new PlaybookInput.TriggerRecovered(incident.AgentId, Id(incident)),
            DetectionEventKind.IncidentResolved when incident.Resolution != Resolution.NoData =>
                new PlaybookInput.TriggerRecovered(incident.AgentId, Id(incident)),
            _ => null,
        };
    }

    /// <summary>The agent's labels with the series' labels over them (the series' win).</summary>
    public static Dictionary<string, string> Labels(AnomalyRecord anomaly)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        var labels = new Dictionary<string, string>(anomaly.Series.HostLabels, StringComparer.Ordinal);
        foreach ((string key, string value) in anomaly.Series.Labels)
        {
            labels[key] = value;
        }

        return labels;
    }

    /// <summary>An anomaly on the playbooks' scale: forecasts by the time left (pessimistic end), others by their score.</summary>
    public static TriggerSeverity Severity(AnomalyRecord anomaly)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        if (anomaly.Kind == AnomalyKind.Exhaustion && anomaly.Forecast is { } forecast)
        {
            long left = forecast.EarliestMs > 0 ? forecast.EarliestMs : forecast.TimeToExhaustionMs;
            return SeverityScale.FromTimeToExhaustion(TimeSpan.FromMilliseconds(Math.Max(0, left)));
        }

        return SeverityScale.FromAnomalyScore(anomaly.PeakScore);
    }

    public static string Id(IncidentRecord incident) => incident.IncidentId.ToString(CultureInfo.InvariantCulture);

    private static PlaybookInput.TriggerRaised Raised(TriggerKind kind, IncidentRecord incident, AnomalyRecord anomaly, TriggerSeverity severity, string summary) =>
        new(new PlaybookTrigger(
            kind,
            Id(incident),
            incident.AgentId,
            incident.Hostname,
            Labels(anomaly),
            anomaly.Series.Name,
            null,
            severity,
            DateTimeOffset.FromUnixTimeMilliseconds(anomaly.RaisedUnixMs),
            summary));
}
