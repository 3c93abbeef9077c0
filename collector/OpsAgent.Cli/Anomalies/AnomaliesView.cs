using System.Globalization;
using OpsAgent.Cli.Output;
using OpsAgent.Protocol;
using Spectre.Console;

namespace OpsAgent.Cli.Anomalies;

/// <summary>Tables of anomalies for people.</summary>
internal static class AnomaliesView
{
    public static Table List(IEnumerable<Anomaly> anomalies, DateTimeOffset now)
    {
        var table = CommandOutput.CreateTable("ID", "Started", "Host", "Severity", "State", "Incident", "What");
        foreach (var a in anomalies)
        {
            CommandOutput.AddRow(
                table,
                a.AnomalyId.ToString(CultureInfo.InvariantCulture),
                TimeFormatter.Ago(a.StartedUnixMs, now),
                a.Hostname,
                DetectionNames.Severity(a.Severity),
                State(a.Open, a.Resolution, a.StartedUnixMs, a.ResolvedUnixMs, now),
                a.IncidentId == 0 ? "-" : "#" + a.IncidentId.ToString(CultureInfo.InvariantCulture),
                a.Summary);
        }

        return table;
    }

    /// <summary>"open (12m)", "recovered after 5m", "settled after 1h", "no data after 30m", "resolved by hand after 3m".</summary>
    public static string State(bool open, Resolution resolution, long startedUnixMs, long resolvedUnixMs, DateTimeOffset now)
    {
        if (open)
        {
            return $"open ({TimeFormatter.Age(now - DateTimeOffset.FromUnixTimeMilliseconds(startedUnixMs))})";
        }

        string after = TimeFormatter.Age(TimeSpan.FromMilliseconds(Math.Max(0, resolvedUnixMs - startedUnixMs)));
        return resolution switch
        {
            Resolution.Recovered => $"recovered after {after}",
            Resolution.Settled => $"settled after {after}",
            Resolution.NoData => $"no data after {after}",
            Resolution.Manual => $"resolved by hand after {after}",
            _ => $"resolved after {after}",
        };
    }
}
