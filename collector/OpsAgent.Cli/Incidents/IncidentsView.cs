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
                AnomaliesView.State(i.Open, i.Resolution, i.OpenedUnixMs, i.ResolvedUnixMs, now),
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
        Add("State", AnomaliesView.State(incident.Open, incident.Resolution, incident.OpenedUnixMs, incident.ResolvedUnixMs, now));
        Add("Opened", $"{TimeFormatter.Local(incident.OpenedUnixMs, zone)} ({TimeFormatter.Ago(incident.OpenedUnixMs, now)})");
        Add("Resolved", incident.Open ? "-" : $"{TimeFormatter.Local(incident.ResolvedUnixMs, zone)} ({TimeFormatter.Ago(incident.ResolvedUnixMs, now)})");
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

    private static string Count(Incident i) =>
        i.Open
            ? string.Create(CultureInfo.InvariantCulture, $"{i.AnomalyCount} ({i.OpenAnomalies} open)")
            : i.AnomalyCount.ToString(CultureInfo.InvariantCulture);
}
