using OpsAgent.Collector.Detection;
using OpsAgent.Protocol;
using ProtoAnomalyKind = OpsAgent.Protocol.AnomalyKind;
using ProtoEvent = OpsAgent.Protocol.DetectionEvent;
using ProtoEventType = OpsAgent.Protocol.DetectionEventType;
using ProtoResolution = OpsAgent.Protocol.Resolution;
using ProtoSeverity = OpsAgent.Protocol.AlertSeverity;

namespace OpsAgent.Collector.Admin;

/// <summary>Anomalies, incidents and detection events as the admin API sends them.</summary>
internal static class DetectionMessages
{
    public static Anomaly ToMessage(AnomalyRecord a)
    {
        var message = new Anomaly
        {
            AnomalyId = (ulong)a.AnomalyId,
            IncidentId = (ulong)a.IncidentId,
            Kind = a.Kind == Detection.AnomalyKind.Exhaustion ? ProtoAnomalyKind.Exhaustion : ProtoAnomalyKind.Metric,
            Severity = ToMessage(a.Severity),
            Open = a.Open,
            Resolution = ToMessage(a.Resolution),
            SeriesId = a.Series.SeriesId,
            Metric = a.Series.Name,
            MetricKind = a.Series.Kind,
            Unit = a.Series.Unit,
            AgentId = a.Series.AgentId,
            Hostname = a.Series.Hostname,
            StartedUnixMs = a.StartedUnixMs,
            RaisedUnixMs = a.RaisedUnixMs,
            LastAnomalousUnixMs = a.LastAnomalousUnixMs,
            UpdatedUnixMs = a.UpdatedUnixMs,
            ResolvedUnixMs = a.ResolvedUnixMs,
            PeakScore = a.PeakScore,
            Value = a.Value,
            UsualLow = a.UsualLow,
            UsualHigh = a.UsualHigh,
            Summary = a.Summary,
        };
        foreach ((string key, string value) in a.Series.Labels)
        {
            message.Labels.Add(new Label { Key = key, Value = value });
        }

        foreach ((string key, string value) in a.Series.HostLabels)
        {
            message.HostLabels[key] = value;
        }

        if (a.Forecast is { } f)
        {
            message.Forecast = new ExhaustionForecast
            {
                Level = f.Level,
                RatePerHour = f.RatePerHour,
                TimeToExhaustionMs = f.TimeToExhaustionMs,
                EarliestMs = f.EarliestMs,
                LatestMs = f.LatestMs,
                Confidence = f.Confidence,
                AsOfUnixMs = f.AsOfUnixMs,
            };
        }

        return message;
    }

    public static Incident ToMessage(IncidentRecord i, IEnumerable<AnomalyRecord>? anomalies = null)
    {
        var message = new Incident
        {
            IncidentId = (ulong)i.IncidentId,
            AgentId = i.AgentId,
            Hostname = i.Hostname,
            Severity = ToMessage(i.Severity),
            Open = i.Open,
            Resolution = ToMessage(i.Resolution),
            OpenedUnixMs = i.OpenedUnixMs,
            UpdatedUnixMs = i.UpdatedUnixMs,
            ResolvedUnixMs = i.ResolvedUnixMs,
            Title = i.Title,
            AnomalyCount = (uint)i.AnomalyCount,
            OpenAnomalies = (uint)i.OpenAnomalies,
            ResolvedBy = i.ResolvedBy,
            Note = i.Note,
        };
        foreach ((string key, string value) in i.HostLabels)
        {
            message.HostLabels[key] = value;
        }

        message.Metrics.Add(i.Metrics);
        if (anomalies is not null)
        {
            message.Anomalies.Add(anomalies.Select(ToMessage));
        }

        return message;
    }

    public static ProtoEvent ToMessage(Detection.DetectionEvent e, long dropped)
    {
        var message = new ProtoEvent
        {
            Sequence = (ulong)e.Sequence,
            Type = (ProtoEventType)(int)e.Kind,
            UnixMs = e.AtUnixMs,
            Dropped = (ulong)Math.Max(0, dropped),
        };
        if (e.Incident is { } incident)
        {
            message.Incident = ToMessage(incident);
        }

        if (e.Anomaly is { } anomaly)
        {
            message.Anomaly = ToMessage(anomaly);
        }

        return message;
    }

    /// <summary>Whether a watcher asked for this event.</summary>
    public static bool Matches(Detection.DetectionEvent e, WatchEventsRequest filter)
    {
        bool incidentEvent = e.Kind is DetectionEventKind.IncidentOpened or DetectionEventKind.IncidentUpdated
            or DetectionEventKind.IncidentEscalated or DetectionEventKind.IncidentResolved;
        if (filter.IncidentsOnly && !incidentEvent)
        {
            return false;
        }

        string agentId = e.Incident?.AgentId ?? e.Anomaly?.Series.AgentId ?? string.Empty;
        string hostname = e.Incident?.Hostname ?? e.Anomaly?.Series.Hostname ?? string.Empty;
        if (filter.Host.Length > 0 && agentId != filter.Host && !string.Equals(hostname, filter.Host, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (filter.Metric.Length > 0)
        {
            bool metric = incidentEvent
                ? e.Incident?.Metrics.Any(m => m.StartsWith(filter.Metric, StringComparison.Ordinal)) == true
                : e.Anomaly?.Series.Name.StartsWith(filter.Metric, StringComparison.Ordinal) == true;
            if (!metric)
            {
                return false;
            }
        }

        if (filter.MinSeverity != ProtoSeverity.Unspecified)
        {
            Detection.AlertSeverity severity = incidentEvent ? e.Incident?.Severity ?? 0 : e.Anomaly?.Severity ?? 0;
            if ((int)severity < (int)filter.MinSeverity)
            {
                return false;
            }
        }

        return true;
    }

    private static ProtoSeverity ToMessage(Detection.AlertSeverity severity) =>
        severity == Detection.AlertSeverity.Critical ? ProtoSeverity.Critical : ProtoSeverity.Warning;

    private static ProtoResolution ToMessage(Detection.Resolution resolution) => (ProtoResolution)(int)resolution;
}
