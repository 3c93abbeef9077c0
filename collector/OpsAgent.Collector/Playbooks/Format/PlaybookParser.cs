using System.Globalization;
using System.Text.RegularExpressions;
using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>
/// Parses and validates one playbook. Every problem is reported in one pass with its line, column, key path and fix;
/// unknown keys are errors, because a misspelt guard (<c>cooldwon: 1h</c>) that was silently ignored would leave the
/// playbook unguarded. The format is described in Playbooks/README.md and install/linux/playbooks/README.md.
/// </summary>
internal static partial class PlaybookParser
{
    public const int MaxSteps = 20;
    public const int MaxDescriptionLength = 2000;

    private static readonly string[] RootKeys = ["name", "description", "enabled", "match", "actions", "guards", "verify"];
    private static readonly string[] MatchKeys = ["kind", "metric", "log_template", "host", "labels", "min_severity"];
    private static readonly string[] ActionKinds = ["restart_service", "stop_service", "start_service", "signal_process", "cleanup_files", "run_script", "collect_diagnostics"];
    private static readonly string[] StepKeys = [.. ActionKinds, "timeout"];
    private static readonly string[] ServiceKeys = ["service"];
    private static readonly string[] SignalKeys = ["name", "pid", "signal"];
    private static readonly string[] CleanupKeys = ["directory", "pattern", "older_than", "larger_than", "max_files"];
    private static readonly string[] ScriptKeys = ["name", "args"];
    private static readonly string[] DiagnosticsKeys = ["top_processes", "directory", "top_entries"];
    private static readonly string[] GuardKeys = ["cooldown", "budget", "approval_required", "approval_timeout", "dry_run", "circuit_breaker"];
    private static readonly string[] BudgetKeys = ["max_hosts", "max_runs_per_hour"];
    private static readonly string[] BreakerKeys = ["failed_runs", "window", "open_for"];
    private static readonly string[] VerifyKeys = ["window"];

    /// <summary>Parses <paramref name="text"/>; the result holds the playbook or every problem found.</summary>
    public static PlaybookParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var problems = new List<PlaybookProblem>();
        YamlTreeNode? root = YamlTreeReader.Read(text, problems);
        if (root is null)
        {
            return new PlaybookParseResult(null, problems);
        }

        Playbook? playbook = new Reader(problems).ReadPlaybook(root, text);
        return problems.Count == 0 && playbook is not null
            ? new PlaybookParseResult(playbook, [])
            : new PlaybookParseResult(null, [.. problems.OrderBy(p => p.Line).ThenBy(p => p.Column)]);
    }

    /// <summary>True for a valid playbook name: lowercase letters, digits and '-', 1 to 64 characters, no '-' at either end.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    private sealed class Reader(List<PlaybookProblem> problems)
    {
        public Playbook? ReadPlaybook(YamlTreeNode root, string source)
        {
            if (Mapping(root, "", RootKeys, "a playbook", "name: disk-full") is not { } map)
            {
                return null;
            }

            string name = ReadName(map);
            string description = OptionalScalar(map, "description", "") ?? "";
            if (description.Length > MaxDescriptionLength)
            {
                Add(map["description"]!, "description", $"is {description.Length} characters long; keep it under {MaxDescriptionLength} and put details in a runbook link.");
            }

            bool enabled = Bool(map, "enabled", "", true);
            PlaybookMatch? match = map["match"] is { } matchNode
                ? ReadMatch(matchNode)
                : Missing<PlaybookMatch>(map, "", "match", "add a match section, e.g. match: { kind: incident_opened, metric: system.filesystem.utilization }");
            IReadOnlyList<PlaybookStep>? steps = map["actions"] is { } actionsNode
                ? ReadSteps(actionsNode)
                : Missing<List<PlaybookStep>>(map, "", "actions", "add an actions list with at least one step, e.g. actions: [ { restart_service: { service: nginx } } ]");
            PlaybookGuards guards = map["guards"] is { } guardsNode ? ReadGuards(guardsNode) : PlaybookGuards.Default;
            TimeSpan verify = Playbook.DefaultVerifyWindow;
            if (map["verify"] is { } verifyNode && Mapping(verifyNode, "verify", VerifyKeys, "the verify section", "window: 5m") is { } verifyMap)
            {
                verify = Duration(verifyMap, "window", "verify", Playbook.DefaultVerifyWindow, TimeSpan.FromSeconds(10), TimeSpan.FromHours(24));
            }

            return match is null || steps is null ? null : new Playbook(name, description, enabled, match, steps, guards, verify, source);
        }

        private string ReadName(YamlTreeMapping map)
        {
            if (map["name"] is not { } node)
            {
                Missing<object>(map, "", "name", "add a name such as name: disk-full (lowercase letters, digits and '-')");
                return "";
            }

            if (Scalar(node, "name") is not { } name)
            {
                return "";
            }

            if (!IsValidName(name))
            {
                string suggestion = Regex.Replace(name.Trim().ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');
                Add(node, "name", $"'{name}' is not a valid playbook name; use 1 to 64 lowercase letters, digits and '-', not starting or ending with '-'"
                    + (suggestion.Length > 0 && IsValidName(suggestion) ? $", e.g. {suggestion}." : "."));
            }

            return name;
        }

        private PlaybookMatch? ReadMatch(YamlTreeNode node)
        {
            if (Mapping(node, "match", MatchKeys, "the match section", "kind: incident_opened") is not { } map)
            {
                return null;
            }

            var kinds = new HashSet<TriggerKind>();
            if (map["kind"] is not { } kindNode)
            {
                Missing<object>(map, "match", "kind", $"say which triggers to act on: {string.Join(", ", TriggerKinds.Names)} (one, or a list)");
            }
            else
            {
                foreach ((YamlTreeNode item, string path) in ScalarOrList(kindNode, "match.kind"))
                {
                    if (Scalar(item, path) is not { } value)
                    {
                        continue;
                    }

                    if (TriggerKinds.TryParse(value, out TriggerKind kind))
                    {
                        kinds.Add(kind);
                    }
                    else
                    {
                        Add(item, path, $"'{value}' is not a trigger kind; use {string.Join(", ", TriggerKinds.Names)}." + Suggestions.DidYouMean(value, TriggerKinds.Names));
                    }
                }
            }

            GlobPattern? metric = OptionalScalar(map, "metric", "match") is { } m ? new GlobPattern(m) : null;
            GlobPattern? logTemplate = OptionalScalar(map, "log_template", "match") is { } t ? new GlobPattern(t) : null;
            GlobPattern? host = OptionalScalar(map, "host", "match") is { } h ? new GlobPattern(h, ignoreCase: true) : null;
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (map["labels"] is { } labelsNode)
            {
                if (labelsNode is YamlTreeMapping labelMap)
                {
                    foreach ((YamlTreeScalar key, YamlTreeNode value) in labelMap.Entries)
                    {
                        if (Scalar(value, $"match.labels.{key.Value}") is { } text)
                        {
                            labels[key.Value] = text;
                        }
                    }
                }
                else if (!IsNull(labelsNode))
                {
                    Add(labelsNode, "match.labels", $"must be a mapping of label names to values (e.g. labels: {{ env: prod }}), not {labelsNode.Describe()}.");
                }
            }

            TriggerSeverity minSeverity = TriggerSeverity.Info;
            if (OptionalScalar(map, "min_severity", "match") is { } severity && !SeverityScale.TryParse(severity, out minSeverity))
            {
                Add(map["min_severity"]!, "match.min_severity", $"'{severity}' is not a severity; use {string.Join(", ", SeverityScale.Names)}." + Suggestions.DidYouMean(severity, SeverityScale.Names));
            }

            return new PlaybookMatch(kinds, metric, logTemplate, host, labels, minSeverity);
        }

        private List<PlaybookStep>? ReadSteps(YamlTreeNode node)
        {
            if (node is not YamlTreeSequence list)
            {
                Add(node, "actions", $"must be a list of steps (each line starting with '- '), not {node.Describe()}.");
                return null;
            }

            if (list.Items.Count == 0)
            {
                Add(node, "actions", "is empty; add at least one step, e.g. - restart_service: { service: nginx }.");
                return null;
            }

            if (list.Items.Count > MaxSteps)
            {
                Add(list.Items[MaxSteps], "actions", $"has {list.Items.Count} steps; a playbook may have at most {MaxSteps}. Split it into several playbooks.");
            }

            var steps = new List<PlaybookStep>();
            for (int i = 0; i < list.Items.Count; i++)
            {
                if (ReadStep(list.Items[i], $"actions[{i}]", i + 1) is { } step)
                {
                    steps.Add(step);
                }
            }

            return steps.Count == list.Items.Count ? steps : null;
        }

        private PlaybookStep? ReadStep(YamlTreeNode node, string path, int number)
        {
            if (Mapping(node, path, StepKeys, "a step", "restart_service: { service: nginx }") is not { } map)
            {
                return null;
            }

            KeyValuePair<YamlTreeScalar, YamlTreeNode>[] actions = [.. map.Entries.Where(e => ActionKinds.Contains(e.Key.Value))];
            TimeSpan timeout = Duration(map, "timeout", path, Playbook.DefaultStepTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
            if (actions.Length != 1)
            {
                Add(
                    actions.Length == 0 ? node : actions[1].Key,
                    path,
                    actions.Length == 0
                        ? $"a step needs one action: {string.Join(", ", ActionKinds)}."
                        : $"a step has exactly one action, found {string.Join(" and ", actions.Select(a => a.Key.Value))}; put each in its own step ('- ' line).");
                return null;
            }

            string kind = actions[0].Key.Value;
            YamlTreeNode body = actions[0].Value;
            string bodyPath = $"{path}.{kind}";
            StepAction? action = kind switch
            {
                "restart_service" => ReadService(body, bodyPath, kind, ServiceAction.Types.Operation.Restart),
                "stop_service" => ReadService(body, bodyPath, kind, ServiceAction.Types.Operation.Stop),
                "start_service" => ReadService(body, bodyPath, kind, ServiceAction.Types.Operation.Start),
                "signal_process" => ReadSignal(body, bodyPath),
                "cleanup_files" => ReadCleanup(body, bodyPath),
                "run_script" => ReadScript(body, bodyPath),
                _ => ReadDiagnostics(body, bodyPath),
            };
            return action is null ? null : new PlaybookStep(number, action, timeout);
        }

        private ServiceStepAction? ReadService(YamlTreeNode node, string path, string kind, ServiceAction.Types.Operation operation)
        {
            if (Mapping(node, path, ServiceKeys, kind, "service: nginx") is not { } map)
            {
                return null;
            }

            ParameterTemplate? service = Template(map, "service", path, ParameterRules.ServiceName, "service: nginx");
            return service is null ? null : new ServiceStepAction(operation, service);
        }

        private SignalStepAction? ReadSignal(YamlTreeNode node, string path)
        {
            if (Mapping(node, path, SignalKeys, "signal_process", "name: java, signal: TERM") is not { } map)
            {
                return null;
            }

            bool hasName = map["name"] is { } n && !IsNull(n);
            bool hasPid = map["pid"] is { } p && !IsNull(p);
            if (hasName == hasPid)
            {
                Add(node, path, hasName
                    ? "give either name or pid, not both: name signals every process of that name, pid one process."
                    : "say which process: name: java (every process of that name) or pid: 4242 (or pid: \"{{ labels.pid }}\").");
                return null;
            }

            ParameterTemplate? name = hasName ? Template(map, "name", path, ParameterRules.ProcessName, "name: java") : null;
            ParameterTemplate? pid = hasPid ? Template(map, "pid", path, v => ParameterRules.ProcessId(v, out _), "pid: 4242") : null;
            string? signal = null;
            if (map["signal"] is not { } signalNode)
            {
                Missing<object>(map, path, "signal", $"say which signal to send: {string.Join(", ", ParameterRules.Signals)}");
            }
            else if (Scalar(signalNode, path + ".signal") is { } text)
            {
                if (ParameterRules.Signal(text, out string canonical) is { } problem)
                {
                    Add(signalNode, path + ".signal", problem);
                }
                else
                {
                    signal = canonical;
                }
            }

            return (name ?? pid) is null || signal is null ? null : new SignalStepAction(name, pid, signal);
        }

        private CleanupStepAction? ReadCleanup(YamlTreeNode node, string path)
        {
            if (Mapping(node, path, CleanupKeys, "cleanup_files", "directory: /var/log/myapp, pattern: \"*.gz\", older_than: 7d") is not { } map)
            {
                return null;
            }

            ParameterTemplate? directory = Template(map, "directory", path, ParameterRules.Directory, "directory: /var/log/myapp");
            ParameterTemplate? pattern = Template(map, "pattern", path, ParameterRules.FilePattern, "pattern: \"*.log.gz\"");
            TimeSpan olderThan = Duration(map, "older_than", path, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromDays(3650));
            long largerThan = Size(map, "larger_than", path);
            int maxFiles = Int(map, "max_files", path, 0, 0, 1_000_000);
            if (map["older_than"] is null && map["larger_than"] is null)
            {
                Add(node, path, "without older_than or larger_than every file matching the pattern is deleted; add a filter (older_than: 7d, larger_than: 100MB), or older_than: 0s if that is really meant.");
                return null;
            }

            return directory is null || pattern is null ? null : new CleanupStepAction(directory, pattern, olderThan, largerThan, (uint)maxFiles);
        }

        private ScriptStepAction? ReadScript(YamlTreeNode node, string path)
        {
            if (Mapping(node, path, ScriptKeys, "run_script", "name: rotate-logs.sh, args: [--service, nginx]") is not { } map)
            {
                return null;
            }

            ParameterTemplate? name = Template(map, "name", path, ParameterRules.ScriptName, "name: rotate-logs.sh");
            var args = new List<ParameterTemplate>();
            bool argsValid = true;
            if (map["args"] is { } argsNode && !IsNull(argsNode))
            {
                if (argsNode is not YamlTreeSequence list)
                {
                    Add(argsNode, path + ".args", $"must be a list of arguments, e.g. args: [--service, nginx], not {argsNode.Describe()}.");
                    argsValid = false;
                }
                else
                {
                    if (list.Items.Count > ParameterRules.MaxArguments)
                    {
                        Add(argsNode, path + ".args", $"has {list.Items.Count} arguments; the limit is {ParameterRules.MaxArguments}.");
                        argsValid = false;
                    }

                    for (int i = 0; i < list.Items.Count; i++)
                    {
                        string argPath = $"{path}.args[{i}]";
                        if (Scalar(list.Items[i], argPath, allowEmpty: true) is not { } text
                            || TemplateOf(list.Items[i], argPath, text, ParameterRules.Argument) is not { } template)
                        {
                            argsValid = false;
                            continue;
                        }

                        args.Add(template);
                    }
                }
            }

            return name is null || !argsValid ? null : new ScriptStepAction(name, args);
        }

        private DiagnosticsStepAction? ReadDiagnostics(YamlTreeNode node, string path)
        {
            YamlTreeMapping? map = IsNull(node)
                ? new YamlTreeMapping(node.Position, [])
                : Mapping(node, path, DiagnosticsKeys, "collect_diagnostics", "top_processes: 10, directory: /var, top_entries: 20");
            if (map is null)
            {
                return null;
            }

            int topProcesses = Int(map, "top_processes", path, 10, 0, 100);
            ParameterTemplate? directory = map["directory"] is { } d && !IsNull(d)
                ? Template(map, "directory", path, ParameterRules.Directory, "directory: /var")
                : null;
            if (map["top_entries"] is { } entries && !IsNull(entries) && directory is null && map["directory"] is null)
            {
                Add(entries, path + ".top_entries", "only applies with a directory; add directory: /var (the directory whose biggest entries to list).");
                return null;
            }

            int topEntries = Int(map, "top_entries", path, directory is null ? 0 : 20, 0, 1000);
            return map["directory"] is { } dir && !IsNull(dir) && directory is null
                ? null
                : new DiagnosticsStepAction((uint)topProcesses, directory, (uint)topEntries);
        }

        private PlaybookGuards ReadGuards(YamlTreeNode node)
        {
            PlaybookGuards defaults = PlaybookGuards.Default;
            if (Mapping(node, "guards", GuardKeys, "the guards section", "cooldown: 15m") is not { } map)
            {
                return defaults;
            }

            TimeSpan cooldown = Duration(map, "cooldown", "guards", defaults.Cooldown, TimeSpan.Zero, TimeSpan.FromDays(30));
            int maxHosts = defaults.MaxHosts;
            int maxRuns = defaults.MaxRunsPerHour;
            if (map["budget"] is { } budgetNode && Mapping(budgetNode, "guards.budget", BudgetKeys, "the budget", "max_hosts: 5, max_runs_per_hour: 20") is { } budget)
            {
                maxHosts = Int(budget, "max_hosts", "guards.budget", defaults.MaxHosts, 1, 10_000);
                maxRuns = Int(budget, "max_runs_per_hour", "guards.budget", defaults.MaxRunsPerHour, 1, 10_000);
            }

            bool approval = Bool(map, "approval_required", "guards", defaults.ApprovalRequired);
            TimeSpan approvalTimeout = Duration(map, "approval_timeout", "guards", defaults.ApprovalTimeout, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
            bool dryRun = Bool(map, "dry_run", "guards", defaults.DryRun);
            CircuitBreakerSettings breaker = defaults.CircuitBreaker;
            if (map["circuit_breaker"] is { } breakerNode
                && Mapping(breakerNode, "guards.circuit_breaker", BreakerKeys, "the circuit breaker", "failed_runs: 3, window: 24h, open_for: 6h") is { } breakerMap)
            {
                const string P = "guards.circuit_breaker";
                breaker = new CircuitBreakerSettings(
                    Int(breakerMap, "failed_runs", P, breaker.FailedRuns, 1, 100),
                    Duration(breakerMap, "window", P, breaker.Window, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30)),
                    Duration(breakerMap, "open_for", P, breaker.OpenFor, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30)));
            }

            return new PlaybookGuards(cooldown, maxHosts, maxRuns, approval, approvalTimeout, dryRun, breaker);
        }

        // ---- value readers: each reports its own problem and returns a usable default so the walk goes on ----

        private YamlTreeMapping? Mapping(YamlTreeNode node, string path, string[] allowed, string what, string example)
        {
            if (node is not YamlTreeMapping map)
            {
                Add(node, path, $"{what} must be a mapping of keys to values (e.g. {example}), not {node.Describe()}.");
                return null;
            }

            foreach (YamlTreeScalar key in map.Entries.Select(e => e.Key))
            {
                if (!allowed.Contains(key.Value, StringComparer.Ordinal))
                {
                    Add(key, Join(path, key.Value), $"unknown key '{key.Value}'.{Suggestions.DidYouMean(key.Value, allowed)} Keys allowed here: {string.Join(", ", allowed)}.");
                }
            }

            return map;
        }

        private T? Missing<T>(YamlTreeMapping map, string path, string key, string fix)
            where T : class
        {
            Add(map, path, $"'{key}' is missing; {fix}.");
            return null;
        }

        private string? Scalar(YamlTreeNode node, string path, bool allowEmpty = false)
        {
            if (node is not YamlTreeScalar scalar)
            {
                Add(node, path, $"must be a single value, not {node.Describe()}.");
                return null;
            }

            if (scalar.IsNull && !allowEmpty)
            {
                Add(node, path, "is empty; give it a value or remove the key.");
                return null;
            }

            return scalar.IsNull ? "" : scalar.Value;
        }

        private string? OptionalScalar(YamlTreeMapping map, string key, string path, string? fallback = null) =>
            map[key] is { } node && !IsNull(node) ? Scalar(node, Join(path, key)) : fallback;

        private bool Bool(YamlTreeMapping map, string key, string path, bool fallback)
        {
            if (OptionalScalar(map, key, path) is not { } text)
            {
                return fallback;
            }

            switch (text)
            {
                case "true" or "True" or "TRUE":
                    return true;
                case "false" or "False" or "FALSE":
                    return false;
                default:
                    Add(map[key]!, Join(path, key), $"'{text}' is not true or false; write {key}: true or {key}: false.");
                    return fallback;
            }
        }

        private int Int(YamlTreeMapping map, string key, string path, int fallback, int min, int max)
        {
            if (OptionalScalar(map, key, path) is not { } text)
            {
                return fallback;
            }

            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
            {
                Add(map[key]!, Join(path, key), $"'{text}' is not a whole number; write a number between {min} and {max}.");
                return fallback;
            }

            if (value < min || value > max)
            {
                Add(map[key]!, Join(path, key), $"{value} is out of range; use a number between {min} and {max}.");
                return fallback;
            }

            return value;
        }

        private TimeSpan Duration(YamlTreeMapping map, string key, string path, TimeSpan fallback, TimeSpan min, TimeSpan max)
        {
            if (OptionalScalar(map, key, path) is not { } text)
            {
                return fallback;
            }

            if (!DurationText.TryParse(text, out TimeSpan value, out string error))
            {
                Add(map[key]!, Join(path, key), error);
                return fallback;
            }

            if (value < min || value > max)
            {
                Add(map[key]!, Join(path, key), $"{DurationText.Format(value)} is out of range; use a duration between {DurationText.Format(min)} and {DurationText.Format(max)}.");
                return fallback;
            }

            return value;
        }

        private long Size(YamlTreeMapping map, string key, string path)
        {
            if (OptionalScalar(map, key, path) is not { } text)
            {
                return 0;
            }

            if (!SizeText.TryParse(text, out long value, out string error))
            {
                Add(map[key]!, Join(path, key), error);
                return 0;
            }

            return value;
        }

        private ParameterTemplate? Template(YamlTreeMapping map, string key, string path, Func<string, string?> rule, string example)
        {
            string fullPath = Join(path, key);
            YamlTreeNode? node = map[key];
            if (node is null)
            {
                Add(map, path, $"'{key}' is missing; add {example}.");
                return null;
            }

            if (IsNull(node))
            {
                Add(node, fullPath, $"is empty; write {example}.");
                return null;
            }

            return Scalar(node, fullPath) is { } text ? TemplateOf(node, fullPath, text, rule) : null;
        }

        private ParameterTemplate? TemplateOf(YamlTreeNode node, string path, string text, Func<string, string?> rule)
        {
            if (!ParameterTemplate.TryParse(text, out ParameterTemplate template, out string error))
            {
                Add(node, path, error);
                return null;
            }

            // A literal is checked completely now; a template is checked on what it renders to, when a step runs.
            string? problem = template.IsLiteral ? rule(text) : ParameterRules.Argument(text);
            if (problem is not null)
            {
                Add(node, path, problem);
                return null;
            }

            return template;
        }

        private IEnumerable<(YamlTreeNode Node, string Path)> ScalarOrList(YamlTreeNode node, string path)
        {
            if (node is YamlTreeSequence list)
            {
                if (list.Items.Count == 0)
                {
                    Add(node, path, "is an empty list; name at least one.");
                }

                return list.Items.Select((item, i) => (item, $"{path}[{i}]"));
            }

            return [(node, path)];
        }

        private static bool IsNull(YamlTreeNode node) => node is YamlTreeScalar { IsNull: true };

        private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

        private void Add(YamlTreeNode node, string path, string message) => problems.Add(new PlaybookProblem(node.Position, path, message));
    }
}
