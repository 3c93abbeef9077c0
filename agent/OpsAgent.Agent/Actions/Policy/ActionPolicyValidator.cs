using System.Text.RegularExpressions;
using OpsAgent.Agent.Actions.Services;
using OpsAgent.Agent.Actions.Signals;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Actions.Policy;

/// <summary>
/// Checks a policy and normalises it in place (unit names, signal names, paths, compiled argument patterns). Every
/// problem is reported at once, each naming the key (e.g. <c>Services[1].Operations</c>) and the fix.
/// </summary>
internal static class ActionPolicyValidator
{
    private const int MaxSeconds = 86_400;
    private const int MinOutputBytes = 1024;

    /// <summary>Output travels in one message to the collector; above this it would crowd out everything else.</summary>
    private const int MaxOutputBytes = 1024 * 1024;

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    public static void Validate(ActionPolicy policy, string file, List<string> errors)
    {
        var problems = new List<string>();
        ValidateServices(policy.Services, problems);
        ValidateProcesses(policy.Processes, problems);
        ValidateCleanup(policy.Cleanup, problems);
        ValidateScripts(policy.Scripts, problems);
        ValidateDiagnostics(policy.Diagnostics, problems);
        ValidateTimeouts(policy.Timeouts, problems);
        if (policy.MaxOutputBytes is < MinOutputBytes or > MaxOutputBytes)
        {
            problems.Add($"MaxOutputBytes must be between {MinOutputBytes} and {MaxOutputBytes}; got {policy.MaxOutputBytes}.");
        }

        foreach (string problem in problems)
        {
            errors.Add($"Policy file {file}: {problem}");
        }
    }

    private static void ValidateServices(List<ServiceRule>? services, List<string> problems)
    {
        if (services is null)
        {
            problems.Add("Services is null; write [] or a list of {\"Name\": ..., \"Operations\": [...]}.");
            return;
        }

        var seen = new HashSet<string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        for (int i = 0; i < services.Count; i++)
        {
            ServiceRule? rule = services[i];
            string key = $"Services[{i}]";
            if (rule is null)
            {
                problems.Add($"{key} is null; remove it.");
                continue;
            }

            if (OperatingSystem.IsWindows()
                ? rule.Name.Length is 0 or > 256 || rule.Name.IndexOfAny(['/', '\\', '\0']) >= 0
                : !SystemdUnitName.IsValid(rule.Name))
            {
                problems.Add($"{key}.Name '{rule.Name}' is not a service name: use the systemd unit (\"nginx\" or \"nginx.service\") " +
                    "or the Windows service name; letters, digits and : - _ . @ only, not starting with '-'.");
            }
            else
            {
                if (!OperatingSystem.IsWindows())
                {
                    rule.Name = SystemdUnitName.Normalize(rule.Name);
                }

                if (!seen.Add(rule.Name))
                {
                    problems.Add($"{key}.Name '{rule.Name}' is listed twice; merge the entries' Operations.");
                }
            }

            rule.AllowedOperations.Clear();
            if (rule.Operations is null or { Count: 0 })
            {
                problems.Add($"{key}.Operations is empty; list what may be done to {rule.Name}: any of \"restart\", \"stop\", \"start\".");
                continue;
            }

            foreach (string operation in rule.Operations)
            {
                ServiceAction.Types.Operation? parsed = operation?.ToUpperInvariant() switch
                {
                    "RESTART" => ServiceAction.Types.Operation.Restart,
                    "STOP" => ServiceAction.Types.Operation.Stop,
                    "START" => ServiceAction.Types.Operation.Start,
                    _ => null,
                };
                if (parsed is { } op)
                {
                    rule.AllowedOperations.Add(op);
                }
                else
                {
                    problems.Add($"{key}.Operations: '{operation}' is not an operation; use \"restart\", \"stop\" or \"start\".");
                }
            }
        }
    }

    private static void ValidateProcesses(List<ProcessRule>? processes, List<string> problems)
    {
        if (processes is null)
        {
            problems.Add("Processes is null; write [] or a list of {\"Name\": ..., \"Signals\": [...]}.");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < processes.Count; i++)
        {
            ProcessRule? rule = processes[i];
            string key = $"Processes[{i}]";
            if (rule is null)
            {
                problems.Add($"{key} is null; remove it.");
                continue;
            }

            if (rule.Name.Length is 0 or > 255 || rule.Name.IndexOfAny(['/', '\\', '\0']) >= 0)
            {
                problems.Add($"{key}.Name '{rule.Name}' is not a process name: give the name the OS reports (e.g. \"python3\"), without a path.");
            }
            else if (!seen.Add(rule.Name))
            {
                problems.Add($"{key}.Name '{rule.Name}' is listed twice; merge the entries' Signals.");
            }

            if (rule.Signals is null or { Count: 0 })
            {
                problems.Add($"{key}.Signals is empty; list the signals that may be sent to {rule.Name}, e.g. [\"TERM\", \"KILL\"].");
                continue;
            }

            for (int s = 0; s < rule.Signals.Count; s++)
            {
                if (!SignalNames.TryNormalize(rule.Signals[s], out string canonical))
                {
                    problems.Add($"{key}.Signals: '{rule.Signals[s]}' is not a signal the agent sends; use one of {SignalNames.Supported}.");
                }
                else if (OperatingSystem.IsWindows() && canonical != SignalNames.Kill)
                {
                    problems.Add($"{key}.Signals: '{rule.Signals[s]}' does not exist on Windows, which has no signals; only \"KILL\" (terminate the process) is possible.");
                }
                else
                {
                    rule.Signals[s] = canonical;
                }
            }
        }
    }

    private static void ValidateCleanup(List<CleanupRule>? rules, List<string> problems)
    {
        if (rules is null)
        {
            problems.Add("Cleanup is null; write [] or a list of {\"Directory\": ..., \"Patterns\": [...]}.");
            return;
        }

        var seen = new HashSet<string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        for (int i = 0; i < rules.Count; i++)
        {
            CleanupRule? rule = rules[i];
            string key = $"Cleanup[{i}]";
            if (rule is null)
            {
                problems.Add($"{key} is null; remove it.");
                continue;
            }

            if (!AllowedPaths.TryNormalize(rule.Directory, out string directory, out string problem))
            {
                problems.Add($"{key}.Directory: {problem}. Give the absolute path of the directory to clean, e.g. \"/var/log/myapp\".");
            }
            else if (AllowedPaths.IsFilesystemRoot(directory))
            {
                problems.Add($"{key}.Directory is the filesystem root '{directory}'; name the directory that fills up, e.g. \"/var/log/myapp\".");
            }
            else
            {
                rule.Directory = directory;
                if (!seen.Add(directory))
                {
                    problems.Add($"{key}.Directory '{directory}' is listed twice; keep one entry.");
                }

                if (new DirectoryInfo(directory) is { Exists: true, LinkTarget: { } target })
                {
                    problems.Add($"{key}.Directory '{directory}' is a symbolic link to '{target}'; cleanup never follows links. Name the real directory.");
                }
            }

            if (rule.Patterns is null or { Count: 0 })
            {
                problems.Add($"{key}.Patterns is empty; list the file names that may be deleted, e.g. [\"*.log.*\", \"*.gz\"].");
            }
            else
            {
                foreach (string pattern in rule.Patterns)
                {
                    if (string.IsNullOrEmpty(pattern) || pattern.IndexOfAny(['/', '\\', '\0']) >= 0)
                    {
                        problems.Add($"{key}.Patterns: '{pattern}' is not a file name pattern; use * and ? without a path, e.g. \"*.log.*\".");
                    }
                }
            }

            if (rule.MinAgeSeconds is < 0 or > 10L * 365 * MaxSeconds)
            {
                problems.Add($"{key}.MinAgeSeconds must be between 0 and {10L * 365 * MaxSeconds} (ten years); got {rule.MinAgeSeconds}.");
            }

            if (rule.MaxFilesPerRun is < 1 or > 100_000)
            {
                problems.Add($"{key}.MaxFilesPerRun must be between 1 and 100000; got {rule.MaxFilesPerRun}.");
            }
        }
    }

    private static void ValidateScripts(ScriptPolicy? scripts, List<string> problems)
    {
        if (scripts?.Allowed is null)
        {
            problems.Add("Scripts (or Scripts.Allowed) is null; remove it or write {\"Directory\": ..., \"Allowed\": []}.");
            return;
        }

        if (!AllowedPaths.TryNormalize(scripts.Directory, out string directory, out string problem))
        {
            problems.Add($"Scripts.Directory: {problem}. Give the absolute path of the scripts directory, e.g. \"{PolicyPaths.DefaultScriptsDirectory}\".");
        }
        else
        {
            scripts.Directory = directory;
            if (scripts.Allowed.Count > 0 && Directory.Exists(directory) && FilePermissions.WritableByOthersProblem(directory) is { } unsafeDirectory)
            {
                problems.Add("Scripts.Directory " + unsafeDirectory);
            }
        }

        var seen = new HashSet<string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        for (int i = 0; i < scripts.Allowed.Count; i++)
        {
            ScriptRule? rule = scripts.Allowed[i];
            string key = $"Scripts.Allowed[{i}]";
            if (rule is null)
            {
                problems.Add($"{key} is null; remove it.");
                continue;
            }

            if (rule.Name.Length is 0 or > 255 || rule.Name is "." or ".." || rule.Name.IndexOfAny(['/', '\\', '\0']) >= 0)
            {
                problems.Add($"{key}.Name '{rule.Name}' is not a file name: give the script's name inside Scripts.Directory, without a path.");
            }
            else if (!seen.Add(rule.Name))
            {
                problems.Add($"{key}.Name '{rule.Name}' is listed twice; keep one entry.");
            }

            if (rule.MaxArguments is < 0 or > 256)
            {
                problems.Add($"{key}.MaxArguments must be between 0 and 256; got {rule.MaxArguments}.");
            }

            if (rule.TimeoutSeconds is < 1 or > MaxSeconds)
            {
                problems.Add($"{key}.TimeoutSeconds must be between 1 and {MaxSeconds}, or left out to use Timeouts.ScriptSeconds; got {rule.TimeoutSeconds}.");
            }

            rule.ArgumentRegex = null;
            if (rule.ArgumentPattern is not null)
            {
                try
                {
                    // Anchored: the pattern describes a whole argument, not something an argument contains.
                    rule.ArgumentRegex = new Regex($"^(?:{rule.ArgumentPattern})$", RegexOptions.CultureInvariant, RegexTimeout);
                }
                catch (ArgumentException ex)
                {
                    problems.Add($"{key}.ArgumentPattern is not a valid regular expression: {ex.Message}");
                }
            }
        }
    }

    private static void ValidateDiagnostics(DiagnosticsPolicy? diagnostics, List<string> problems)
    {
        if (diagnostics?.Roots is null)
        {
            problems.Add("Diagnostics (or Diagnostics.Roots) is null; remove it or write {\"Enabled\": true, \"Roots\": [\"/var/log\"]}.");
            return;
        }

        for (int i = 0; i < diagnostics.Roots.Count; i++)
        {
            if (!AllowedPaths.TryNormalize(diagnostics.Roots[i], out string root, out string problem))
            {
                problems.Add($"Diagnostics.Roots[{i}]: {problem}. Give absolute directory paths, e.g. \"/var/log\".");
            }
            else
            {
                diagnostics.Roots[i] = root;
            }
        }

        if (diagnostics.MaxTopProcesses is < 1 or > 1000)
        {
            problems.Add($"Diagnostics.MaxTopProcesses must be between 1 and 1000; got {diagnostics.MaxTopProcesses}.");
        }

        if (diagnostics.MaxTopEntries is < 1 or > 1000)
        {
            problems.Add($"Diagnostics.MaxTopEntries must be between 1 and 1000; got {diagnostics.MaxTopEntries}.");
        }
    }

    private static void ValidateTimeouts(ActionTimeouts? timeouts, List<string> problems)
    {
        if (timeouts is null)
        {
            problems.Add("Timeouts is null; remove it to use the defaults.");
            return;
        }

        CheckSeconds("Timeouts.ServiceSeconds", timeouts.ServiceSeconds, problems);
        CheckSeconds("Timeouts.SignalSeconds", timeouts.SignalSeconds, problems);
        CheckSeconds("Timeouts.CleanupSeconds", timeouts.CleanupSeconds, problems);
        CheckSeconds("Timeouts.ScriptSeconds", timeouts.ScriptSeconds, problems);
        CheckSeconds("Timeouts.DiagnosticsSeconds", timeouts.DiagnosticsSeconds, problems);
    }

    private static void CheckSeconds(string key, int value, List<string> problems)
    {
        if (value is < 1 or > MaxSeconds)
        {
            problems.Add($"{key} must be between 1 and {MaxSeconds} seconds; got {value}.");
        }
    }
}
