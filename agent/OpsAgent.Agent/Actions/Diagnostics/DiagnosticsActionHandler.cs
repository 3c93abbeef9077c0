using System.Globalization;
using System.Text;
using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Actions.Diagnostics;

/// <summary>
/// Reports the top processes by memory and by CPU and, when asked, the biggest entries below a directory that the
/// policy's diagnostics roots contain: bounded text for the admin reading the incident. Changes nothing.
/// </summary>
internal sealed class DiagnosticsActionHandler(ProcessSampler sampler) : IActionHandler
{
    private const int DefaultTop = 10;

    public Command.ActionOneofCase Action => Command.ActionOneofCase.Diagnostics;

    public async Task<ActionOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        DiagnosticsPolicy policy = context.Policy.Diagnostics;
        if (!policy.Enabled)
        {
            return ActionOutcome.Denied(
                $"Diagnostics are not enabled in the local policy ({context.PolicyFile}): set Diagnostics.Enabled to true (and list Diagnostics.Roots) " +
                "and restart the agent. Nothing was collected.");
        }

        CollectDiagnostics request = context.Command.Diagnostics;
        int topProcesses = Limit(request.TopProcesses, policy.MaxTopProcesses);
        int topEntries = Limit(request.TopEntries, policy.MaxTopEntries);
        string? directory = null;
        if (request.Directory.Length > 0)
        {
            if (CheckDirectory(request.Directory, policy, context.PolicyFile, out directory) is { } refused)
            {
                return refused;
            }
        }

        string plan = $"the top {topProcesses} processes by memory and by CPU" + (directory is null ? "" : $" and the {topEntries} biggest entries in {directory}");
        if (context.DryRun)
        {
            return ActionOutcome.Succeeded($"Would report {plan}.");
        }

        TimeSpan timeout = context.Timeout(context.Policy.Timeouts.DiagnosticsSeconds);
        using var deadline = new CancellationTokenSource(timeout, context.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var report = new StringBuilder();
        try
        {
            List<ProcessUsage> processes = await sampler.SampleAsync(linked.Token).ConfigureAwait(false);
            AppendProcesses(report, processes, topProcesses, sampler.Window);
            if (directory is not null)
            {
                // Walking a large tree blocks: keep it off the executor's thread, cancellable through the token.
                DirectorySizes sizes = await Task.Run(() => DirectorySizer.Measure(directory, linked.Token), linked.Token).ConfigureAwait(false);
                AppendDirectory(report, directory, sizes, topEntries);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            string partial = BoundedText.Truncate(report.ToString(), context.MaxOutputBytes);
            return ActionOutcome.TimedOut($"Diagnostics did not finish within {timeout.TotalSeconds:0} s; the output holds what was collected.")
                .WithOutput(partial, partial.Length < report.Length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ActionOutcome.Failed($"Could not read {directory}: {ex.Message}");
        }

        string text = report.ToString();
        string output = BoundedText.Truncate(text, context.MaxOutputBytes);
        return ActionOutcome.Succeeded($"Reported {plan}.").WithOutput(output, output.Length < text.Length);
    }

    /// <summary>0 asks for the default; more than the policy allows is cut to the policy's limit.</summary>
    private static int Limit(uint requested, int max) => requested == 0 ? Math.Min(DefaultTop, max) : (int)Math.Min(requested, (uint)max);

    private static ActionOutcome? CheckDirectory(string requested, DiagnosticsPolicy policy, string policyFile, out string directory)
    {
        if (!AllowedPaths.TryNormalize(requested, out directory, out string problem))
        {
            return ActionOutcome.Denied($"Refused to look into '{requested}': {problem}. Nothing was collected.");
        }

        string normalized = directory;
        string? root = policy.Roots.Where(r => AllowedPaths.IsSameOrBelow(normalized, r)).MaxBy(r => r.Length);
        if (root is null)
        {
            return ActionOutcome.Denied(
                $"{directory} is not below a diagnostics root of the local policy ({policyFile}, Diagnostics.Roots: " +
                $"{(policy.Roots.Count == 0 ? "none" : string.Join(", ", policy.Roots))}). Nothing was collected.");
        }

        // No link on the way down from the root: the policy names what may be looked into, links could name anything.
        string path = root;
        if (PathProblem(path) is { } atRoot)
        {
            return atRoot;
        }

        foreach (string segment in AllowedPaths.SegmentsBelow(directory, root))
        {
            path = Path.Join(path, segment);
            if (PathProblem(path) is { } below)
            {
                return below;
            }
        }

        return null;
    }

    private static ActionOutcome? PathProblem(string path)
    {
        var info = new DirectoryInfo(path);
        if ((int)info.Attributes == -1 || (info.Attributes & FileAttributes.Directory) == 0)
        {
            return ActionOutcome.Failed($"{path} does not exist or is not a directory. Nothing was collected.");
        }

        return (info.Attributes & FileAttributes.ReparsePoint) != 0
            ? ActionOutcome.Denied($"{path} is a symbolic link; diagnostics never follow links. Name the real directory. Nothing was collected.")
            : null;
    }

    private static void AppendProcesses(StringBuilder report, List<ProcessUsage> processes, int top, TimeSpan window)
    {
        report.AppendLine(CultureInfo.InvariantCulture, $"Top {top} of {processes.Count} processes by memory (resident set size):");
        AppendTable(report, processes.OrderByDescending(p => p.ResidentBytes).Take(top));
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Top {top} processes by CPU over {window.TotalSeconds:0.#} s (100 % = one core):");
        AppendTable(report, processes.OrderByDescending(p => p.CpuPercent).Take(top));
    }

    private static void AppendTable(StringBuilder report, IEnumerable<ProcessUsage> rows)
    {
        report.AppendLine("      PID         RSS   CPU %  NAME");
        foreach (ProcessUsage p in rows)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"{p.Pid,9} {ByteSize.Format(p.ResidentBytes),11} {p.CpuPercent,7:0.0}  {p.Name}");
        }
    }

    private static void AppendDirectory(StringBuilder report, string directory, DirectorySizes sizes, int top)
    {
        long total = sizes.Entries.Sum(e => e.Bytes);
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Biggest {Math.Min(top, sizes.Entries.Count)} of {sizes.Entries.Count} entries in {directory} ({ByteSize.Format(total)} in total, " +
            $"apparent sizes; {sizes.Examined} entries examined):");
        foreach (DirectoryEntrySize entry in sizes.Entries.Take(top))
        {
            string name = entry.IsDirectory ? entry.Name + "/" : entry.Name;
            report.AppendLine(CultureInfo.InvariantCulture, $"{ByteSize.Format(entry.Bytes),11}  {name}{(entry.Note is null ? "" : "  (" + entry.Note + ")")}");
        }

        if (sizes.HitEntryLimit)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"Stopped after {DirectorySizer.MaxEntries} entries: sizes are lower bounds.");
        }

        if (sizes.Unreadable > 0)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"{sizes.Unreadable} subtree(s) could not be read completely.");
        }
    }
}
