using System.Globalization;
using OpsAgent.Cli.Anomalies;
using OpsAgent.Cli.Output;
using OpsAgent.Protocol;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OpsAgent.Cli.Incidents;

/// <summary>Tables of incidents for people.</summary>
internal static class IncidentsView
{
    public static Table List(IEnumerable<Incident> incidents, DateTimeOffset now)
    {
        var table = CommandOutput.CreateTable("ID", "Opened", "Host", "Severity", "State", "Anomalies", "Title");
        foreach (var i in incidents)
        {
            CommandOutput.AddRow(
                table,
                i.IncidentId.ToString(CultureInfo.InvariantCulture),
                TimeFormatter.Ago(i.OpenedUnixMs, now),
                i.Hostname,
                DetectionNames.Severity(i.Severity),
                State(i, now),
                Count(i),
                i.Title);
        }

        return table;
    }

    public static IRenderable Details(Incident incident, DateTimeOffset now, TimeZoneInfo zone)
    {
        var grid = new Grid();
        grid.AddColumn(new GridColumn { NoWrap = true, Padding = new Padding(0, 0, 2, 0) });
        grid.AddColumn(new GridColumn());
        Add("Incident", "#" + incident.IncidentId.ToString(CultureInfo.InvariantCulture));
        Add("Title", incident.Title);
        Add("Host", $"{incident.Hostname} ({incident.AgentId})");
        Add("Host labels", LabelFormatter.Format(incident.HostLabels));
        Add("Severity", DetectionNames.Severity(incident.Severity));
        Add("State", State(incident, now));
        Add("Opened", $"{TimeFormatter.Local(incident.OpenedUnixMs, zone)} ({TimeFormatter.Ago(incident.OpenedUnixMs, now)})");
        Add("Resolved", incident.Open ? "-" : $"{TimeFormatter.Local(incident.ResolvedUnixMs, zone)} ({TimeFormatter.Ago(incident.ResolvedUnixMs, now)})");
        if (incident.ResolvedBy.Length > 0)
        {
            Add("Resolved by", incident.ResolvedBy);
        }

        if (incident.Note.Length > 0)
        {
            Add("Note", incident.Note);
        }

        Add("Anomalies", Count(incident));
        Add("Metrics", incident.Metrics.Count == 0 ? "-" : string.Join(", ", incident.Metrics));
        if (incident.Anomalies.Count == 0)
        {
            return grid;
        }

        return new Rows(grid, new Text(string.Empty), AnomaliesView.List(incident.Anomalies, now));

        void Add(string key, string value) =>
            grid.AddRow(new IRenderable[] { new Text(key + ":", new Style(decoration: Decoration.Bold)), new Text(value) });
    }

    /// <summary>As an anomaly's state, but naming who resolved it on request ("resolved by playbook:disk-cleanup after 4m").</summary>
    private static string State(Incident i, DateTimeOffset now) =>
        !i.Open && i.ResolvedBy.Length > 0
            ? $"resolved by {i.ResolvedBy} after {TimeFormatter.Age(TimeSpan.FromMilliseconds(Math.Max(0, i.ResolvedUnixMs - i.OpenedUnixMs)))}"
            : AnomaliesView.State(i.Open, i.Resolution, i.OpenedUnixMs, i.ResolvedUnixMs, now);

    private static string Count(Incident i) =>
        i.Open
            ? string.Create(CultureInfo.InvariantCulture, $"{i.AnomalyCount} ({i.OpenAnomalies} open)")
            : i.AnomalyCount.ToString(CultureInfo.InvariantCulture);
}
