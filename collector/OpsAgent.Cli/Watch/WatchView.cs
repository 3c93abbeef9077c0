using System.Globalization;
using OpsAgent.Cli.Anomalies;
using OpsAgent.Cli.Output;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Watch;

/// <summary>One line per event for people: time, what happened, which incident or anomaly, host, severity, what.</summary>
internal static class WatchView
{
    public static string Line(DetectionEvent e)
    {
        string time = TimeFormatter.ToRfc3339(DateTimeOffset.FromUnixTimeMilliseconds(e.UnixMs));
        string what = DetectionNames.Event(e.Type).Replace('_', ' ');
        bool incidentEvent = e.Type is DetectionEventType.IncidentOpened or DetectionEventType.IncidentUpdated
            or DetectionEventType.IncidentEscalated or DetectionEventType.IncidentResolved;
        if (incidentEvent && e.Incident is { } incident)
        {
            string state = incident.Open ? DetectionNames.Severity(incident.Severity) : DetectionNames.Resolution(incident.Resolution) ?? "resolved";
            string id = "#" + incident.IncidentId.ToString(CultureInfo.InvariantCulture);
            return $"{time}  {what,-18}  {id,-6}  {incident.Hostname}  {state}  {incident.Title}";
        }

        if (e.Anomaly is { } anomaly)
        {
            string state = anomaly.Open ? DetectionNames.Severity(anomaly.Severity) : DetectionNames.Resolution(anomaly.Resolution) ?? "resolved";
            string id = "a" + anomaly.AnomalyId.ToString(CultureInfo.InvariantCulture);
            return $"{time}  {what,-18}  {id,-6}  {anomaly.Hostname}  {state}  {anomaly.Summary}";
        }

        return $"{time}  {what}";
    }
}
