using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.Json;
using OpsAgent.EndToEnd.Tests.Infrastructure;
using static OpsAgent.EndToEnd.Tests.Remediation.RemediationScenario;

namespace OpsAgent.EndToEnd.Tests.Remediation;

/// <summary>
/// Faults the test creates on a real host, fixed for real by playbooks through a real agent: files that fill a
/// directory (cleanup_files deletes them), a process that runs away (signal_process kills it), lock files only a site
/// script can release (run_script runs it). Each fault is an anomaly and an incident; the playbook's command goes down
/// the agent's stream, signed; the agent acts within its local policy; the signal recovers because of the action; the
/// incident is resolved by the playbook. All of it is read back through opsctl: incidents, commands, playbooks, audit.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class RemediationTests : IDisposable
{
    private const string Host = "e2e-heal";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Playbooks_FaultsTheTestCreates_FixedThroughTheAgentAndShownInOpsctl()
    {
        string fill = _dir.Sub("fill");
        string locks = _dir.Sub("locks");
        string scripts = _dir.Sub("scripts");
        string leak = CopySleep(_dir.Sub("bin"), "oa-leak-");
        string leakName = Path.GetFileName(leak);
        WriteScript(scripts, "release-locks.sh", "n=$(ls \"$1\" | wc -l); rm -f -- \"$1\"/*.lock; echo \"released $n lock(s) in $1\"");
        string policy = WritePolicy(_dir.Sub("etc"), new
        {
            Cleanup = new[] { new { Directory = fill, Patterns = new[] { "*.tmp" }, MinAgeSeconds = 0 } },
            Processes = new[] { new { Name = leakName, Signals = new[] { "TERM" } } },
            Scripts = new { Directory = scripts, Allowed = new[] { new { Name = "release-locks.sh", MaxArguments = 1 } } },
        });

        // The merge gap is longer than a fix takes, so each incident is closed by its playbook, not by the gap.
        await using CollectorProcess collector = await CollectorProcess.StartAsync(_dir.Sub("collector"), extraArgs: CollectorArgs(TimeSpan.FromSeconds(30)));
        Dictionary<string, string> opsctl = collector.OpsctlEnvironment();
        string playbooks = _dir.Sub("playbooks");
        await ApplyPlaybookAsync(opsctl, playbooks, "clean-fill", Playbook("clean-fill", "0", $$"""cleanup_files: { directory: "{{fill}}", pattern: "*.tmp", older_than: 0s }"""));
        await ApplyPlaybookAsync(opsctl, playbooks, "stop-leak", Playbook("stop-leak", "1", $$"""signal_process: { name: "{{leakName}}", signal: TERM }"""));
        await ApplyPlaybookAsync(opsctl, playbooks, "release-locks", Playbook("release-locks", "2", $$"""run_script: { name: release-locks.sh, args: ["{{locks}}"] }"""));

        await using ManagedProcess agent = await AgentProcess.StartAsync(collector, _dir.Sub("agent"), Host,
            AgentArgs(Host, policy, "dir:" + fill, "proc:" + leakName, "dir:" + locks));
        Process? leaking = null;
        string Diagnostics() => collector.Process + "\n" + agent;
        try
        {
            await WaitForHistoryAsync(opsctl, Host, 3, Diagnostics);

            // 1. A directory fills up: cleanup_files deletes what the policy allows.
            Touch(fill, "a.tmp", "b.tmp");
            JsonElement first = await WaitForIncidentAsync(opsctl, Host, i => Text(i, "resolvedBy") == "playbook:clean-fill",
                "the incident of the filled directory to be resolved by playbook clean-fill", Diagnostics);
            Assert.Empty(Directory.GetFiles(fill));
            JsonElement cleanup = await SingleCommandAsync(opsctl, first);
            Assert.Equal(("succeeded", "playbook:clean-fill"), (Text(cleanup, "state"), Text(cleanup, "issuedBy")));
            Assert.StartsWith("cleanup_files " + fill + "/*.tmp", Text(cleanup, "action"), StringComparison.Ordinal);
            Assert.Contains("deleted a.tmp", cleanup.GetProperty("result").GetProperty("output").GetString(), StringComparison.Ordinal);
            Assert.Contains("fixed incident", Text(first, "note"), StringComparison.Ordinal);

            // 2. A process runs away: signal_process sends it TERM and it is gone.
            leaking = StartProcess(leak, "600");
            JsonElement second = await WaitForIncidentAsync(opsctl, Host, i => Text(i, "resolvedBy") == "playbook:stop-leak",
                "the incident of the runaway process to be resolved by playbook stop-leak", Diagnostics);
            Assert.True(leaking.WaitForExit(TimeSpan.FromSeconds(10)), "the runaway process was signalled and exited");
            JsonElement signal = await SingleCommandAsync(opsctl, second);
            Assert.Equal(("succeeded", $"signal_process TERM to processes named {leakName}"), (Text(signal, "state"), Text(signal, "action")));

            // 3. Locks only a site script may release: run_script runs it with its argument, no shell in between.
            Touch(locks, "db.lock");
            JsonElement third = await WaitForIncidentAsync(opsctl, Host, i => Text(i, "resolvedBy") == "playbook:release-locks",
                "the incident of the lock files to be resolved by playbook release-locks", Diagnostics);
            Assert.Empty(Directory.GetFiles(locks));
            JsonElement script = await SingleCommandAsync(opsctl, third);
            Assert.Equal("succeeded", Text(script, "state"));
            Assert.Contains($"released 1 lock(s) in {locks}", script.GetProperty("result").GetProperty("output").GetString(), StringComparison.Ordinal);

            // People see it: the incidents table says who resolved them, the playbooks their last run, the audit every step.
            OpsctlResult table = await Opsctl.RunAsync(opsctl, "incidents", "--host", Host);
            Assert.Contains("resolved by playbook:clean-fill", table.StandardOutput, StringComparison.Ordinal);
            foreach (string name in new[] { "clean-fill", "stop-leak", "release-locks" })
            {
                JsonElement playbook = await PlaybookAsync(opsctl, name);
                Assert.Equal("resolved", playbook.GetProperty("lastRun").GetProperty("outcome").GetString());
            }

            JsonElement audit = await JsonAsync(opsctl, "audit", "--since", "10m", "--limit", "1000");
            JsonElement[] events = [.. audit.GetProperty("events").EnumerateArray()];
            Assert.Equal(3, events.Count(e => Text(e, "method") == "playbook.run_ended" && Text(e, "outcome") == "resolved"));
            Assert.Equal(3, events.Count(e => Text(e, "method") == "command.finished" && Text(e, "outcome") == "succeeded"));
            Assert.Contains(events, e => Text(e, "method") == "/opsagent.v1.Admin/ApplyPlaybook" && Text(e, "detail")!.Contains("playbook stop-leak created", StringComparison.Ordinal));

            string metrics = await collector.GetMetricsTextAsync();
            Assert.Contains("opsagent_commands_finished_total{state=\"succeeded\"} 3", metrics, StringComparison.Ordinal);
            Assert.Contains("opsagent_playbook_runs_ended_total{playbook=\"clean-fill\",outcome=\"resolved\"} 1", metrics, StringComparison.Ordinal);
        }
        finally
        {
            if (leaking is { HasExited: false })
            {
                leaking.Kill();
            }

            leaking?.Dispose();
        }
    }

    private static string Playbook(string name, string series, string action) => $$"""
        name: {{name}}
        description: fixes what the end-to-end test breaks on series {{series}}
        match:
          kind: anomaly_raised
          metric: synthetic.signal
          labels: { series: "{{series}}" }
        actions:
          - {{action}}
            timeout: 30s
        guards:
          cooldown: 0s
        verify:
          window: 1m
        """;

    /// <summary>The one command of the incident's playbook run, as `opsctl commands --incident ID -o json` shows it.</summary>
    private static async Task<JsonElement> SingleCommandAsync(Dictionary<string, string> opsctl, JsonElement incident)
    {
        string id = incident.GetProperty("id").GetUInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        JsonElement commands = await JsonAsync(opsctl, "commands", "--incident", id);
        return Assert.Single(commands.GetProperty("commands").EnumerateArray());
    }
}
