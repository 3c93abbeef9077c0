using System.Text;
using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Actions.Cleanup;

/// <summary>
/// Deletes old or large files in a directory the policy allows cleaning: only files matching both the command's
/// pattern and one of the policy's, never younger than the policy's minimum age, at most the policy's number per run
/// (the oldest first), never through a symbolic link or "..", never on another mounted filesystem. Reports what it
/// deleted and the bytes freed; with dry_run, what it would delete.
/// </summary>
internal sealed class CleanupActionHandler : IActionHandler
{
    public Command.ActionOneofCase Action => Command.ActionOneofCase.Cleanup;

    public Task<ActionOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        CleanupFiles request = context.Command.Cleanup;
        if (string.IsNullOrWhiteSpace(request.Directory))
        {
            return Task.FromResult(ActionOutcome.Invalid("The command names no directory to clean; nothing was done."));
        }

        if (!AllowedPaths.TryNormalize(request.Directory, out string directory, out string problem))
        {
            return Task.FromResult(ActionOutcome.Denied($"Refused to clean '{request.Directory}': {problem}. Nothing was deleted."));
        }

        CleanupRule? rule = context.Policy.Cleanup
            .Where(r => AllowedPaths.IsSameOrBelow(directory, r.Directory))
            .MaxBy(r => r.Directory.Length);
        if (rule is null)
        {
            string allowed = context.Policy.Cleanup.Count == 0 ? "none" : string.Join(", ", context.Policy.Cleanup.Select(r => r.Directory));
            return Task.FromResult(ActionOutcome.Denied(
                $"{directory} is not inside a directory the local policy ({context.PolicyFile}, Cleanup) allows cleaning (allowed: {allowed}). " +
                "Nothing was deleted."));
        }

        string pattern = request.Pattern.Length == 0 ? "*" : request.Pattern;
        if (pattern.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            return Task.FromResult(ActionOutcome.Invalid($"The pattern '{pattern}' is not a file name pattern (no path); nothing was deleted."));
        }

        if (request.OlderThanSeconds < 0 || request.LargerThanBytes < 0)
        {
            return Task.FromResult(ActionOutcome.Invalid("older_than_seconds and larger_than_bytes cannot be negative; nothing was deleted."));
        }

        long minAgeSeconds = Math.Max(request.OlderThanSeconds, rule.MinAgeSeconds);
        int maxFiles = request.MaxFiles > 0 ? (int)Math.Min(request.MaxFiles, (uint)rule.MaxFilesPerRun) : rule.MaxFilesPerRun;
        var plan = new Plan(directory, rule, pattern, minAgeSeconds, request.LargerThanBytes, maxFiles);

        // Walking and deleting block on the filesystem for up to the cleanup timeout: not on the executor's thread.
        return Task.Run(() => Run(plan, context, cancellationToken), cancellationToken);
    }

    private static ActionOutcome Run(Plan plan, ActionContext context, CancellationToken cancellationToken)
    {
        TimeSpan timeout = context.Timeout(context.Policy.Timeouts.CleanupSeconds);
        using var deadline = new CancellationTokenSource(timeout, context.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        DateTime modifiedBefore = context.TimeProvider.GetUtcNow().UtcDateTime.AddSeconds(-plan.MinAgeSeconds);
        var scan = new CleanupScan(
            CleanupScan.Matcher(plan.Pattern, plan.Rule.Patterns), modifiedBefore, plan.LargerThan, plan.MaxFiles, plan.Rule.Recursive);
        var deleted = new List<CleanupCandidate>();
        var failures = new List<string>();
        bool timedOut = false;
        try
        {
            using ICleanupDirectory target = OpenTarget(plan.Rule.Directory, plan.Directory);
            scan.Run(target, linked.Token);
            List<CleanupCandidate> candidates = scan.Candidates();
            if (context.DryRun)
            {
                deleted.AddRange(candidates);
            }
            else
            {
                Delete(target, candidates, scan, deleted, failures, linked.Token);
            }
        }
        catch (CleanupPathException ex)
        {
            return ex.Denied
                ? ActionOutcome.Denied($"Refused to clean {plan.Directory}: {ex.Message} Nothing was deleted.")
                : ActionOutcome.Failed($"Could not clean {plan.Directory}: {ex.Message} Nothing was deleted.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            timedOut = true;
        }

        return Report(plan, context, scan, deleted, failures, timedOut, timeout);
    }

    /// <summary>Opens the policy's directory, then each directory down to the requested one, none of them through a link.</summary>
    private static ICleanupDirectory OpenTarget(string root, string directory) =>
        Descend(
            OperatingSystem.IsLinux() ? LinuxCleanupDirectory.OpenRoot(root) : PathCleanupDirectory.OpenRoot(root),
            AllowedPaths.SegmentsBelow(directory, root));

    /// <summary>Opens <paramref name="segments"/> one below the other from <paramref name="start"/>, closing each one passed.</summary>
    private static ICleanupDirectory Descend(ICleanupDirectory start, IEnumerable<string> segments)
    {
        ICleanupDirectory current = start;
        foreach (string segment in segments)
        {
            ICleanupDirectory next;
            try
            {
                next = current.OpenChild(segment);
            }
            finally
            {
                current.Dispose();
            }

            current = next;
        }

        return current;
    }

    private static void Delete(
        ICleanupDirectory target,
        List<CleanupCandidate> candidates,
        CleanupScan scan,
        List<CleanupCandidate> deleted,
        List<string> failures,
        CancellationToken cancellationToken)
    {
        ICleanupDirectory? open = null;
        string[]? openFor = null;
        try
        {
            foreach (CleanupCandidate candidate in candidates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ICleanupDirectory directory = target;
                if (candidate.Directories.Length > 0)
                {
                    if (openFor is null || !openFor.SequenceEqual(candidate.Directories, StringComparer.Ordinal))
                    {
                        open?.Dispose();
                        open = null;
                        openFor = null;
                        try
                        {
                            open = Descend(target.OpenChild(candidate.Directories[0]), candidate.Directories.Skip(1));
                            openFor = candidate.Directories;
                        }
                        catch (CleanupPathException ex)
                        {
                            failures.Add($"{candidate.RelativePath}: not deleted, {ex.Message}");
                            continue;
                        }
                    }

                    directory = open!;
                }

                // Look again just before deleting: the file may have been replaced since the scan.
                if (directory.Inspect(candidate.Name) is not { } now || !scan.Qualifies(now))
                {
                    continue;
                }

                try
                {
                    directory.DeleteFile(candidate.Name);
                    deleted.Add(candidate with { Size = ((FileInfo)now).Length });
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    failures.Add($"{candidate.RelativePath}: {ex.Message}");
                }
            }
        }
        finally
        {
            open?.Dispose();
        }
    }

    private static ActionOutcome Report(
        Plan plan, ActionContext context, CleanupScan scan, List<CleanupCandidate> deleted, List<string> failures, bool timedOut, TimeSpan timeout)
    {
        long freed = deleted.Sum(c => c.Size);
        string verb = context.DryRun ? "Would delete" : "Deleted";
        string criteria = $"matching '{plan.Pattern}' and the policy's patterns ({string.Join(", ", plan.Rule.Patterns)}), " +
            $"older than {plan.MinAgeSeconds} s" + (plan.LargerThan > 0 ? $", larger than {plan.LargerThan} bytes" : "");
        var summary = new StringBuilder();
        summary.Append($"{verb} {deleted.Count} file(s), {ByteSize.Format(freed)} ({freed} bytes), in {plan.Directory} {criteria}; ");
        summary.Append($"{scan.Matched} matched, {scan.Examined} entries examined.");
        if (scan.Matched > deleted.Count + failures.Count && !timedOut)
        {
            summary.Append($" At most {plan.MaxFiles} are deleted per run (the oldest first); run again for more.");
        }

        var details = new StringBuilder();
        if (scan.HitEntryLimit)
        {
            details.AppendLine($"Stopped looking after {CleanupScan.MaxEntries} entries; files beyond were not considered.");
        }

        if (scan.SkippedLinks > 0)
        {
            details.AppendLine($"Skipped {scan.SkippedLinks} symbolic link(s): never followed, never deleted.");
        }

        foreach (string mount in scan.SkippedMounts)
        {
            details.AppendLine($"Skipped {mount}: another mounted filesystem.");
        }

        foreach (string unreadable in scan.Unreadable)
        {
            details.AppendLine($"Could not read {unreadable}");
        }

        foreach (string failure in failures)
        {
            details.AppendLine($"Failed: {failure}");
        }

        DateTimeOffset now = context.TimeProvider.GetUtcNow();
        foreach (CleanupCandidate file in deleted)
        {
            details.AppendLine($"{(context.DryRun ? "would delete" : "deleted")} {file.RelativePath}  {file.Size} bytes  " +
                $"{(now.UtcDateTime - file.LastWriteUtc).TotalHours:0.#} h old");
        }

        string text = details.ToString();
        string output = BoundedText.Truncate(text, context.MaxOutputBytes);
        ActionOutcome outcome = timedOut
            ? ActionOutcome.TimedOut($"Cleanup stopped at its timeout of {timeout.TotalSeconds:0} s. {summary}")
            : failures.Count > 0
                ? ActionOutcome.Failed(summary.ToString() + $" {failures.Count} file(s) could not be deleted; see the output.")
                : ActionOutcome.Succeeded(summary.ToString());
        return outcome.WithOutput(output, output.Length < text.Length);
    }

    private sealed record Plan(string Directory, CleanupRule Rule, string Pattern, long MinAgeSeconds, long LargerThan, int MaxFiles);
}
