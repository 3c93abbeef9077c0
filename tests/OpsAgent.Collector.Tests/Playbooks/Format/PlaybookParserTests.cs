using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Collector.Playbooks.Format;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Tests.Playbooks.Format;

public sealed class PlaybookParserTests
{
    private const string Minimal = """
        name: restart-nginx
        match:
          kind: incident_opened
        actions:
          - restart_service:
              service: nginx
        """;

    public static TheoryData<string> ExampleFiles()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.EnumerateFiles(ExamplesDirectory(), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Parse_ShippedExample_IsValidAndNamedLikeItsFile(string file)
    {
        PlaybookParseResult result = PlaybookParser.Parse(File.ReadAllText(Path.Combine(ExamplesDirectory(), file)));

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
        Assert.Equal(Path.GetFileNameWithoutExtension(file), result.Playbook!.Name);
    }

    [Fact]
    public void Parse_ShippedExamples_AreAtLeastFour()
    {
        Assert.True(ExampleFiles().Count >= 4);
    }

    [Fact]
    public void Parse_Minimal_AppliesSafeDefaults()
    {
        Playbook playbook = Valid(Minimal);

        Assert.Equal("restart-nginx", playbook.Name);
        Assert.True(playbook.Enabled);
        Assert.Equal([TriggerKind.IncidentOpened], playbook.Match.Kinds);
        Assert.Equal(TriggerSeverity.Info, playbook.Match.MinSeverity);
        PlaybookStep step = Assert.Single(playbook.Steps);
        Assert.Equal(1, step.Number);
        Assert.Equal(TimeSpan.FromSeconds(60), step.Timeout);
        var service = Assert.IsType<ServiceStepAction>(step.Action);
        Assert.Equal(ServiceAction.Types.Operation.Restart, service.Operation);
        Assert.Equal(PlaybookGuards.Default, playbook.Guards);
        Assert.Equal(TimeSpan.FromMinutes(5), playbook.VerifyWindow);
        Assert.Equal("playbook:restart-nginx", playbook.IssuedBy);
        Assert.Equal(Minimal, playbook.Source);
    }

    [Fact]
    public void Parse_EveryKeyGiven_ReadsEveryValue()
    {
        Playbook playbook = Valid("""
            name: full
            description: everything set
            enabled: false
            match:
              kind: [anomaly_raised, exhaustion_forecast]
              metric: system.filesystem.*
              log_template: "*refused*"
              host: web-*
              labels: { mountpoint: /var, env: prod }
              min_severity: critical
            actions:
              - stop_service: { service: app.service }
                timeout: 15s
              - start_service: { service: app.service }
              - signal_process: { name: java, signal: sigterm }
              - signal_process: { pid: "{{ labels.pid }}", signal: KILL }
              - cleanup_files: { directory: "/var/log/{{ labels.service }}", pattern: "*.gz", older_than: 1h30m, larger_than: 10MiB, max_files: 7 }
              - run_script: { name: fix.sh, args: [--host, "{{ host }}", ""] }
              - collect_diagnostics: { top_processes: 3, directory: /var, top_entries: 4 }
              - collect_diagnostics:
            guards:
              cooldown: 2h
              budget: { max_hosts: 2, max_runs_per_hour: 9 }
              approval_required: true
              approval_timeout: 45m
              dry_run: true
              circuit_breaker: { failed_runs: 4, window: 2d, open_for: 30m }
            verify:
              window: 90s
            """);

        Assert.False(playbook.Enabled);
        Assert.Equal("everything set", playbook.Description);
        Assert.Equal(new HashSet<TriggerKind> { TriggerKind.AnomalyRaised, TriggerKind.ExhaustionForecast }, playbook.Match.Kinds);
        Assert.Equal("system.filesystem.*", playbook.Match.Metric!.Pattern);
        Assert.Equal("*refused*", playbook.Match.LogTemplate!.Pattern);
        Assert.Equal("web-*", playbook.Match.Host!.Pattern);
        Assert.Equal("/var", playbook.Match.Labels["mountpoint"]);
        Assert.Equal(TriggerSeverity.Critical, playbook.Match.MinSeverity);
        Assert.Equal(8, playbook.Steps.Count);
        Assert.Equal(TimeSpan.FromSeconds(15), playbook.Steps[0].Timeout);
        Assert.Equal(ServiceAction.Types.Operation.Stop, Assert.IsType<ServiceStepAction>(playbook.Steps[0].Action).Operation);
        Assert.Equal(ServiceAction.Types.Operation.Start, Assert.IsType<ServiceStepAction>(playbook.Steps[1].Action).Operation);
        Assert.Equal("TERM", Assert.IsType<SignalStepAction>(playbook.Steps[2].Action).Signal);
        Assert.Equal("{{ labels.pid }}", Assert.IsType<SignalStepAction>(playbook.Steps[3].Action).Pid!.Text);
        var cleanup = Assert.IsType<CleanupStepAction>(playbook.Steps[4].Action);
        Assert.Equal(TimeSpan.FromMinutes(90), cleanup.OlderThan);
        Assert.Equal(10L * 1024 * 1024, cleanup.LargerThanBytes);
        Assert.Equal(7u, cleanup.MaxFiles);
        Assert.Equal(3, Assert.IsType<ScriptStepAction>(playbook.Steps[5].Action).Args.Count);
        var diagnostics = Assert.IsType<DiagnosticsStepAction>(playbook.Steps[6].Action);
        Assert.Equal((3u, "/var", 4u), (diagnostics.TopProcesses, diagnostics.Directory!.Text, diagnostics.TopEntries));
        Assert.Equal((10u, 0u), (((DiagnosticsStepAction)playbook.Steps[7].Action).TopProcesses, ((DiagnosticsStepAction)playbook.Steps[7].Action).TopEntries));
        Assert.Equal(
            new PlaybookGuards(TimeSpan.FromHours(2), 2, 9, true, TimeSpan.FromMinutes(45), true, new CircuitBreakerSettings(4, TimeSpan.FromDays(2), TimeSpan.FromMinutes(30))),
            playbook.Guards);
        Assert.Equal(TimeSpan.FromSeconds(90), playbook.VerifyWindow);
    }

    [Fact]
    public void Parse_MisspeltGuard_IsAnErrorWithLineColumnAndSuggestion()
    {
        PlaybookProblem problem = Assert.Single(Problems(Minimal + "\nguards:\n  cooldwon: 1h\n"));

        Assert.Equal((8, 3), (problem.Line, problem.Column));
        Assert.Equal("guards.cooldwon", problem.Path);
        Assert.Contains("unknown key 'cooldwon'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'cooldown'?", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownKeysAtEveryLevel_AreAllReported()
    {
        IReadOnlyList<PlaybookProblem> problems = Problems("""
            name: x
            colour: red
            match:
              kind: incident_opened
              metrc: cpu
            actions:
              - restart_service: { service: nginx, force: true }
                retries: 3
            guards:
              budget: { max_host: 3 }
              circuit_breaker: { failures: 2 }
            verify: { windw: 1m }
            """);

        Assert.Equal(
            ["colour", "match.metrc", "actions[0].restart_service.force", "actions[0].retries", "guards.budget.max_host", "guards.circuit_breaker.failures", "verify.windw"],
            problems.Select(p => p.Path));
        Assert.Equal([2, 5, 7, 8, 10, 11, 12], problems.Select(p => p.Line));
        Assert.All(problems, p => Assert.Contains("unknown key", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ManyProblems_ReportsEveryOneInLineOrder()
    {
        IReadOnlyList<PlaybookProblem> problems = Problems("""
            name: Disk Full!
            enabled: yes
            match:
              kind: incident_open
              min_severity: severe
            actions:
              - restart_service: { service: -rf }
              - cleanup_files: { directory: var/log, pattern: "*.gz", older_than: 7 }
              - signal_process: { name: java, pid: 12, signal: TERM }
              - signal_process: { pid: 1, signal: BOOM }
              - run_script: { name: ../evil.sh }
              - restart_service: { service: "{{ labels.service }" }
              - restart_service: { service: "{{ hostname }}" }
              - restart_service: { service: a }
                stop_service: { service: b }
              - { timeout: 5s }
            guards:
              cooldown: 90
              budget: { max_hosts: 0, max_runs_per_hour: many }
              approval_timeout: 10s
              dry_run: maybe
            verify:
              window: 5x
            """);

        string[] expected =
        [
            "1:7 name", "2:10 enabled", "4:9 match.kind", "5:17 match.min_severity",
            "7:33 actions[0].restart_service.service", "8:33 actions[1].cleanup_files.directory", "8:71 actions[1].cleanup_files.older_than",
            "9:21 actions[2].signal_process", "10:28 actions[3].signal_process.pid", "10:39 actions[3].signal_process.signal",
            "11:25 actions[4].run_script.name", "12:33 actions[5].restart_service.service", "13:33 actions[6].restart_service.service",
            "15:5 actions[7]", "16:5 actions[8]", "18:13 guards.cooldown", "19:24 guards.budget.max_hosts",
            "19:46 guards.budget.max_runs_per_hour", "20:21 guards.approval_timeout", "21:12 guards.dry_run", "23:11 verify.window",
        ];
        Assert.Equal(expected, problems.Select(p => $"{p.Line}:{p.Column} {p.Path}"));
        Assert.Contains("e.g. disk-full", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'incident_opened'", problems[2].Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("has no unit; write 7s, 7m, 7h or 7d", problems[6].Message, StringComparison.Ordinal);
        Assert.Contains("either name or pid", problems[7].Message, StringComparison.Ordinal);
        Assert.Contains("pid 1 is the init system", problems[8].Message, StringComparison.Ordinal);
        Assert.Contains("without a closing", problems[11].Message, StringComparison.Ordinal);
        Assert.Contains("is not a variable a playbook can use", problems[12].Message, StringComparison.Ordinal);
        Assert.Contains("restart_service and stop_service", problems[13].Message, StringComparison.Ordinal);
        Assert.Contains("needs one action", problems[14].Message, StringComparison.Ordinal);
        Assert.Contains("between 1m and 7d", problems[18].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingRequiredSections_SaysWhatToAdd()
    {
        IReadOnlyList<PlaybookProblem> problems = Problems("description: nothing else\n");

        Assert.Equal(3, problems.Count);
        Assert.All(problems, p => Assert.Equal((1, 1), (p.Line, p.Column)));
        Assert.Contains(problems, p => p.Message.StartsWith("'name' is missing; add a name such as name: disk-full", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.StartsWith("'match' is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.StartsWith("'actions' is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_RequiredParametersMissing_ReportsThemOnTheAction()
    {
        IReadOnlyList<PlaybookProblem> problems = Problems("""
            name: x
            match: { kind: anomaly_raised }
            actions:
              - cleanup_files: { pattern: "*.log" }
              - run_script: { args: [a] }
              - signal_process: { name: java }
              - collect_diagnostics: { top_entries: 5 }
            """);

        Assert.Equal(
            ["4:20 actions[0].cleanup_files", "4:20 actions[0].cleanup_files", "5:17 actions[1].run_script", "6:21 actions[2].signal_process", "7:41 actions[3].collect_diagnostics.top_entries"],
            problems.Select(p => $"{p.Line}:{p.Column} {p.Path}"));
        Assert.Contains(problems, p => p.Message.Contains("'directory' is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("without older_than or larger_than every file", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("'name' is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("'signal' is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("only applies with a directory", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("name: a\n  b: c\n", 2, "not valid YAML")]
    [InlineData("", 1, "the file is empty")]
    [InlineData("name: a\n---\nname: b\n", 2, "more than one YAML document")]
    [InlineData("name: &n a\nmatch: { kind: incident_opened }\nactions: [ { restart_service: { service: *n } } ]\n", 1, "anchors (&n) are not supported")]
    [InlineData("name: !!str a\nmatch: { kind: incident_opened }\nactions: [ { restart_service: { service: a } } ]\n", 1, "tags (tag:yaml.org,2002:str) are not supported")]
    [InlineData("name: a\nname: b\n", 2, "appears twice in this mapping (first at line 1, column 1)")]
    [InlineData("- a\n- b\n", 1, "a playbook must be a mapping")]
    [InlineData("name: a\nmatch: { kind: incident_opened }\nactions: {restart_service: {service: a}}\n", 3, "must be a list of steps")]
    [InlineData("name: a\nmatch: { kind: incident_opened }\nactions: []\n", 3, "is empty; add at least one step")]
    [InlineData("name: a\nmatch: { kind: [] }\nactions: [ { restart_service: { service: a } } ]\n", 2, "empty list")]
    [InlineData("name: a\nmatch: { kind: incident_opened, labels: [a] }\nactions: [ { restart_service: { service: a } } ]\n", 2, "must be a mapping of label names")]
    [InlineData("name: a\nmatch: { kind: incident_opened }\nactions: [ { cleanup_files: { directory: /, pattern: '*', older_than: 1d } } ]\n", 3, "root of a file system")]
    [InlineData("name: a\nmatch: { kind: incident_opened }\nactions: [ { cleanup_files: { directory: /var/../etc, pattern: '*', older_than: 1d } } ]\n", 3, "contains '..'")]
    [InlineData("name: a\nmatch: { kind: incident_opened }\nactions: [ { cleanup_files: { directory: /var, pattern: 'a/b', older_than: 1d } } ]\n", 3, "not a file name pattern")]
    [InlineData("name: a\nmatch: { kind: incident_opened }\nactions: [ { cleanup_files: { directory: /var, pattern: '*', larger_than: 10 parsecs } } ]\n", 3, "is not a size")]
    [InlineData("name: a\nmatch: { kind: incident_opened }\nactions: [ { run_script: { name: a.sh, args: x } } ]\n", 3, "must be a list of arguments")]
    [InlineData("name: a\nmatch: { kind: incident_opened }\nactions: [ { restart_service: { service: a } } ]\nverify: { window: 1s }\n", 4, "between 10s and 1d")]
    [InlineData("name: a\nmatch: { kind: incident_opened }\nactions: [ { restart_service: nginx } ]\n", 3, "restart_service must be a mapping")]
    public void Parse_InvalidInput_ReportsProblemAtLine(string yaml, int line, string fragment)
    {
        IReadOnlyList<PlaybookProblem> problems = Problems(yaml);

        Assert.Contains(problems, p => p.Line == line && p.Message.Contains(fragment, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_TooManySteps_IsRefused()
    {
        string steps = string.Concat(Enumerable.Repeat("  - restart_service: { service: a }\n", PlaybookParser.MaxSteps + 1));

        PlaybookProblem problem = Assert.Single(Problems($"name: a\nmatch: {{ kind: incident_opened }}\nactions:\n{steps}"));

        Assert.Contains($"at most {PlaybookParser.MaxSteps}", problem.Message, StringComparison.Ordinal);
        Assert.Equal(4 + PlaybookParser.MaxSteps, problem.Line);
    }

    [Fact]
    public void Parse_HugeFile_IsRefusedBeforeParsing()
    {
        PlaybookProblem problem = Assert.Single(Problems(Minimal + "\n#" + new string('x', YamlTreeReader.MaxLength)));

        Assert.Contains("at most 65536", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeeplyNested_IsRefused()
    {
        string deep = string.Concat(Enumerable.Repeat("[", 40)) + string.Concat(Enumerable.Repeat("]", 40));

        Assert.Contains(Problems($"name: a\nx: {deep}\n"), p => p.Message.Contains("nested more than 16 levels", StringComparison.Ordinal));
    }

    [Fact]
    public void ToString_Problem_ReadsLineColumnPathMessage()
    {
        PlaybookProblem problem = Problems(Minimal + "\nguards: { dry_run: perhaps }\n").Single();

        Assert.Equal("7:20: guards.dry_run: 'perhaps' is not true or false; write dry_run: true or dry_run: false.", problem.ToString());
    }

    private static Playbook Valid(string yaml)
    {
        PlaybookParseResult result = PlaybookParser.Parse(yaml);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
        return result.Playbook!;
    }

    private static IReadOnlyList<PlaybookProblem> Problems(string yaml)
    {
        PlaybookParseResult result = PlaybookParser.Parse(yaml);
        Assert.Null(result.Playbook);
        Assert.NotEmpty(result.Problems);
        return result.Problems;
    }

    internal static string ExamplesDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "install", "linux", "playbooks");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("install/linux/playbooks was not found above " + AppContext.BaseDirectory);
    }
}
