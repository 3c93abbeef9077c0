using System.Globalization;
using OpsAgent.Cli.Output;
using OpsAgent.Protocol;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OpsAgent.Cli.AgentCommands;

/// <summary>Commands for people: a table, one command in detail, and the one-line outcome `opsctl exec` prints.</summary>
internal static class CommandsView
{
    private const int MaxCellLength = 80;

    public static Table List(IEnumerable<CommandInfo> commands, DateTimeOffset now)
    {
        var table = CommandOutput.CreateTable("ID", "Created", "Host", "State", "Issued by", "Action", "Outcome");
        foreach (CommandInfo c in commands)
        {
            CommandOutput.AddRow(
                table,
                c.CommandId,
                TimeFormatter.Ago(c.CreatedUnixMs, now),
                c.Hostname,
                CommandNames.State(c.State) + (c.DryRun ? " (dry run)" : ""),
                c.IssuedBy,
                Cut(c.Action),
                Cut(Outcome(c, now)));
        }

        return table;
    }

    public static IRenderable Details(CommandInfo c, DateTimeOffset now, TimeZoneInfo zone)
    {
        var grid = new Grid();
        grid.AddColumn(new GridColumn { NoWrap = true, Padding = new Padding(0, 0, 2, 0) });
        grid.AddColumn(new GridColumn());
        Add("Command", c.CommandId);
        Add("Host", $"{c.Hostname} ({c.AgentId})");
        Add("Action", c.Action + (c.DryRun ? " (dry run: the agent only checks and reports)" : ""));
        Add("State", CommandNames.State(c.State) + (c.StateReason.Length > 0 ? ": " + c.StateReason : ""));
        Add("Issued by", c.IssuedBy);
        Add("Reason", c.Reason);
        if (c.Playbook.Length > 0)
        {
            Add("Playbook", $"{c.Playbook} (run {c.RunId}, incident {c.IncidentId})");
        }

        Add("Created", When(c.CreatedUnixMs, now, zone));
        if (c.ApprovalDeadlineUnixMs > 0)
        {
            Add("Approve by", When(c.ApprovalDeadlineUnixMs, now, zone) + $" (opsctl commands approve {c.CommandId})");
        }

        if (c.DecidedBy.Length > 0)
        {
            string verb = c.State == CommandState.Denied ? "Denied by" : "Approved by";
            Add(verb, $"{c.DecidedBy} at {TimeFormatter.Local(c.DecidedUnixMs, zone)}" + (c.DecisionComment.Length > 0 ? $": {c.DecisionComment}" : ""));
        }

        if (c.ExpiresUnixMs > 0)
        {
            Add("Expires", When(c.ExpiresUnixMs, now, zone));
        }

        Add("Sent", c.SendCount == 0 ? "never" : $"{When(c.FirstSentUnixMs, now, zone)}" + (c.SendCount > 1 ? $" ({c.SendCount} times, last {TimeFormatter.Ago(c.LastSentUnixMs, now)})" : ""));
        Add("Timeout", c.TimeoutSeconds.ToString(CultureInfo.InvariantCulture) + "s");
        if (c.Result is { } r)
        {
            Add("Result", Outcome(c, now));
            Add("Received", When(c.ResultReceivedUnixMs, now, zone));
            if (r.Reason.Length > 0)
            {
                Add("Agent says", r.Reason);
            }
        }

        if (c.Result is not { Output.Length: > 0 } withOutput)
        {
            return grid;
        }

        string output = withOutput.Output.TrimEnd() + (withOutput.OutputTruncated ? "\n[output cut by the agent or the collector]" : "");
        return new Rows(grid, new Text(string.Empty), new Text("Output:", new Style(decoration: Decoration.Bold)), new Text(output));

        void Add(string key, string value) =>
            grid.AddRow(new IRenderable[] { new Text(key + ":", new Style(decoration: Decoration.Bold)), new Text(value) });
    }

    /// <summary>"succeeded (exit code 0, 12 ms)", "rejected: no policy allows ...", "awaiting approval until ...".</summary>
    public static string Outcome(CommandInfo c, DateTimeOffset now)
    {
        if (c.Result is { } r)
        {
            string head = CommandNames.Status(r.Status) + (r.DryRun ? " (dry run)" : "");
            string numbers = string.Create(CultureInfo.InvariantCulture, $"exit code {r.ExitCode}, {r.DurationMs} ms");
            return r.Status == CommandStatus.Succeeded
                ? $"{head} ({numbers})"
                : $"{head} ({numbers}): {FirstLine(r.Reason.Length > 0 ? r.Reason : r.Output)}";
        }

        return c.State switch
        {
            CommandState.AwaitingApproval => $"awaiting approval, deadline {TimeFormatter.Ago(c.ApprovalDeadlineUnixMs, now)}: opsctl commands approve {c.CommandId}",
            CommandState.Queued => "queued: the agent is not connected; it is sent when it connects",
            CommandState.Sent => $"sent {TimeFormatter.Ago(c.LastSentUnixMs, now)}, no result yet",
            _ => c.StateReason.Length > 0 ? c.StateReason : "-",
        };
    }

    private static string When(long unixMs, DateTimeOffset now, TimeZoneInfo zone) =>
        unixMs <= 0 ? "never" : $"{TimeFormatter.Local(unixMs, zone)} ({TimeFormatter.Ago(unixMs, now)})";

    private static string FirstLine(string text)
    {
        string trimmed = text.Trim();
        int newline = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? trimmed : trimmed[..newline].TrimEnd() + " ...";
    }

    private static string Cut(string text) => text.Length <= MaxCellLength ? text : string.Concat(text.AsSpan(0, MaxCellLength - 3), "...");
}
