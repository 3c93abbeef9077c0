using System.Runtime.Versioning;
using System.Text.Json;
using OpsAgent.EndToEnd.Tests.Infrastructure;
using static OpsAgent.EndToEnd.Tests.Remediation.RemediationScenario;

namespace OpsAgent.EndToEnd.Tests.Remediation;

/// <summary>
/// The guards that keep a playbook from doing harm, with two real agents and one playbook: a host budget of one (the
/// second host is skipped while the first is being worked on), a circuit breaker that opens after a run that did not
/// fix anything (and refuses the next trigger on that host), and a cooldown after a run that did fix something. Every
/// skip is recorded with its reason and shown by opsctl (playbooks list, audit) and on /metrics.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class RemediationGuardTests : IDisposable
{
    private const string HostA = "e2e-guard-a";
    private const string HostB = "e2e-guard-b";
    private const string Name = "guarded-cleanup";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Guards_BudgetCircuitBreakerAndCooldown_SkipWithTheirReasonVisibleInOpsctl()
    {
        // The playbook cleans BASE/HOST/SERIES. Host A's faults are in directories it does not clean (its runs cannot fix
        // them); host B's are in the ones it cleans.
        string root = _dir.Sub("base");
        string Target(string host, int series) => Path.Combine(root, host, series.ToString(System.Globalization.CultureInfo.InvariantCulture));
        string stuck0 = _dir.Sub("a-stuck0"), stuck1 = _dir.Sub("a-stuck1");
        foreach (string target in new[] { Target(HostA, 0), Target(HostA, 1), Target(HostB, 0), Target(HostB, 1), Target(HostB, 2) })
        {
            Directory.CreateDirectory(target);
        }

        string policy = WritePolicy(_dir.Sub("etc"), new
        {
            Cleanup = new[] { new { Directory = root, Patterns = new[] { "*.tmp" }, MinAgeSeconds = 0 } },
        });
        await using CollectorProcess collector = await CollectorProcess.StartAsync(_dir.Sub("collector"), extraArgs: CollectorArgs(TimeSpan.FromSeconds(2)));
        Dictionary<string, string> opsctl = collector.OpsctlEnvironment();
        await ApplyPlaybookAsync(opsctl, _dir.Sub("playbooks"), Name, $$$"""
            name: {{{Name}}}
            match:
              kind: anomaly_raised
              metric: synthetic.signal
              host: "e2e-guard-*"
            actions:
              - cleanup_files: { directory: "{{{root}}}/{{ host }}/{{ labels.series }}", pattern: "*.tmp", older_than: 0s }
            guards:
              cooldown: 1h
              budget: { max_hosts: 1, max_runs_per_hour: 20 }
              circuit_breaker: { failed_runs: 1, window: 1h, open_for: 1h }
            verify:
              window: 25s
            """);
        await using ManagedProcess agentA = await AgentProcess.StartAsync(collector, _dir.Sub("agent-a"), HostA, AgentArgs(HostA, policy, "dir:" + stuck0, "dir:" + stuck1));
        await using ManagedProcess agentB = await AgentProcess.StartAsync(collector, _dir.Sub("agent-b"), HostB,
            AgentArgs(HostB, policy, "dir:" + Target(HostB, 0), "dir:" + Target(HostB, 1), "dir:" + Target(HostB, 2)));
        string Diagnostics() => collector.Process + "\n" + agentA + "\n" + agentB;
        await WaitForHistoryAsync(opsctl, HostA, 2, Diagnostics);
        await WaitForHistoryAsync(opsctl, HostB, 3, Diagnostics);

        // Budget: while the playbook works on A (its cleanup succeeds, then it waits for a recovery that cannot come), a
        // fault on B is skipped: one host at a time. The verify window is long enough for a loaded machine to see A's run
        // in that state and B's fault detected within it; it is also how long the escalation below takes.
        Touch(stuck0, "a.tmp");
        await Eventually.TrueAsync(
            async () => (await PlaybookAsync(opsctl, Name)).GetProperty("activeRuns").EnumerateArray().Any(r => Text(r, "hostname") == HostA && Text(r, "state") == "verifying"),
            Bound, "the playbook to run on host A and wait for its signal to recover", Diagnostics);
        Touch(Target(HostB, 0), "b.tmp");
        await Eventually.TrueAsync(async () => Skips(await PlaybookAsync(opsctl, Name), "budget_hosts") >= 1, Bound, "the fault on host B to be skipped for the host budget", Diagnostics);
        Assert.Single(Directory.GetFiles(Target(HostB, 0)));

        // Circuit breaker: A's run did not fix its incident within the verify window, so it is escalated and the breaker opens.
        JsonElement escalated = await WaitForIncidentAsync(opsctl, HostA, i => Text(i, "note")?.Contains("could not fix", StringComparison.Ordinal) == true,
            "host A's incident to be escalated by the playbook", Diagnostics);
        Assert.Contains("Every step was tried and the signal did not recover", Text(escalated, "note"), StringComparison.Ordinal);
        JsonElement afterEscalation = await PlaybookAsync(opsctl, Name);
        Assert.Equal("escalated", afterEscalation.GetProperty("lastRun").GetProperty("outcome").GetString());
        JsonElement breaker = afterEscalation.GetProperty("breakers").EnumerateArray().Single(b => Text(b, "hostname") == HostA);
        Assert.Equal("open", Text(breaker, "position"));

        // The faults go away by hand; the next fault on A is refused by the open breaker.
        File.Delete(Path.Combine(stuck0, "a.tmp"));
        File.Delete(Path.Combine(Target(HostB, 0), "b.tmp"));
        await WaitForNoOpenIncidentAsync(opsctl, HostA, Diagnostics);
        await WaitForNoOpenIncidentAsync(opsctl, HostB, Diagnostics);
        Touch(stuck1, "a.tmp");
        await Eventually.TrueAsync(async () => Skips(await PlaybookAsync(opsctl, Name), "circuit_open") >= 1, Bound, "the fault on host A to be skipped by the open circuit breaker", Diagnostics);

        // Cooldown: a run on B fixes its fault; B's next fault within the hour is skipped.
        Touch(Target(HostB, 1), "b.tmp");
        await WaitForIncidentAsync(opsctl, HostB, i => Text(i, "state") == "resolved" && Text(i, "note")?.Contains("fixed incident", StringComparison.Ordinal) == true,
            "the playbook to fix host B's second fault", Diagnostics);
        Assert.Empty(Directory.GetFiles(Target(HostB, 1)));
        Touch(Target(HostB, 2), "c.tmp");
        await Eventually.TrueAsync(async () => Skips(await PlaybookAsync(opsctl, Name), "cooldown") >= 1, Bound, "host B's next fault to be skipped for the cooldown", Diagnostics);
        Assert.Single(Directory.GetFiles(Target(HostB, 2)));

        // Each skip says why and when the playbook may act again, in the audit log and on /metrics.
        JsonElement audit = await JsonAsync(opsctl, "audit", "--since", "10m", "--limit", "1000");
        JsonElement[] skips = [.. audit.GetProperty("events").EnumerateArray().Where(e => Text(e, "method") == "playbook.skipped")];
        Assert.Contains(skips, e => Text(e, "outcome") == "budget_hosts" && Text(e, "detail")!.Contains($"already running on 1 host(s) ({HostA})", StringComparison.Ordinal));
        Assert.Contains(skips, e => Text(e, "outcome") == "circuit_open" && Text(e, "detail")!.Contains("circuit breaker for this host is open", StringComparison.Ordinal));
        Assert.Contains(skips, e => Text(e, "outcome") == "cooldown" && Text(e, "detail")!.Contains("may run there again from", StringComparison.Ordinal));
        Assert.Contains(audit.GetProperty("events").EnumerateArray(), e => Text(e, "method") == "playbook.circuit_opened");
        string metrics = await collector.GetMetricsTextAsync();
        foreach (string reason in new[] { "budget_hosts", "circuit_open", "cooldown" })
        {
            Assert.Contains($"opsagent_playbook_skips_total{{playbook=\"{Name}\",reason=\"{reason}\"}}", metrics, StringComparison.Ordinal);
        }

        OpsctlResult table = await Opsctl.RunAsync(opsctl, "playbooks", "list");
        Assert.Contains($"open on {HostA} until", table.StandardOutput, StringComparison.Ordinal);
    }

    private static Task WaitForNoOpenIncidentAsync(Dictionary<string, string> opsctl, string host, Func<string> diagnostics) =>
        Eventually.TrueAsync(
            async () => (await JsonAsync(opsctl, "incidents", "--open", "--host", host)).GetProperty("incidents").GetArrayLength() == 0,
            Bound,
            $"the incidents of {host} to close once its fault is gone",
            diagnostics);
}
