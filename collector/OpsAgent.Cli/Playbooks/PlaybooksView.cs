using System.Globalization;
using OpsAgent.Cli.Output;
using OpsAgent.Protocol;
using Spectre.Console;

namespace OpsAgent.Cli.Playbooks;

/// <summary>`opsctl playbooks list` for people.</summary>
internal static class PlaybooksView
{
    public static Table List(IEnumerable<PlaybookInfo> playbooks, DateTimeOffset now)
    {
        var table = CommandOutput.CreateTable("Name", "Enabled", "Kinds", "Actions", "Guards", "Active runs", "Last run", "Breakers", "Skips");
        foreach (PlaybookInfo p in playbooks)
        {
            CommandOutput.AddRow(
                table,
                p.Name,
                p.Enabled ? "yes" : "no",
                string.Join(",", p.Kinds),
                string.Join(" → ", p.Actions),
                Guards(p),
                p.ActiveRuns.Count == 0 ? "-" : string.Join(", ", p.ActiveRuns.Select(r => $"{r.Hostname} #{r.IncidentId} step {r.Step} {r.State}")),
                p.LastRun is { } last ? $"{last.Outcome} on {last.Hostname} {TimeFormatter.Ago(last.EndedUnixMs, now)}" : "-",
                Breakers(p, now),
                p.Skips.Count == 0 ? "-" : string.Join(", ", p.Skips.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key}={s.Value}"))));
        }

        return table;
    }

    private static string Guards(PlaybookInfo p)
    {
        var guards = new List<string>();
        if (p.ApprovalRequired)
        {
            guards.Add("approval");
        }

        if (p.DryRun)
        {
            guards.Add("dry run");
        }

        return guards.Count == 0 ? "-" : string.Join(", ", guards);
    }

    private static string Breakers(PlaybookInfo p, DateTimeOffset now)
    {
        var open = p.Breakers.Where(b => b.Position != "closed").ToList();
        if (open.Count == 0)
        {
            return "closed";
        }

        return string.Join(", ", open.Select(b => b.Position == "open"
            ? $"open on {b.Hostname} until {TimeFormatter.Ago(b.OpenUntilUnixMs, now)}"
            : $"half-open on {b.Hostname}"));
    }
}
