using System.Collections.Concurrent;
using OpsAgent.Collector.Observability;
using OpsAgent.Collector.Playbooks.Engine;

namespace OpsAgent.Collector.Playbooks;

/// <summary>Counters of the playbook engine and catalog for /metrics (<see cref="WriteTo"/>).</summary>
internal sealed class PlaybookCounters
{
    private readonly ConcurrentDictionary<string, long[]> _started = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Playbook, string Reason), long[]> _skipped = new();
    private readonly ConcurrentDictionary<(string Playbook, string Outcome), long[]> _ended = new();
    private readonly ConcurrentDictionary<string, long[]> _commands = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long[]> _approvals = new(StringComparer.Ordinal);
    private long _activeRuns;
    private long _loaded;
    private long _invalidFiles;
    private long _saveFailures;

    public void RunStarted(string playbook) => Increment(_started, playbook);

    public void Skipped(string playbook, SkipReason reason) => Increment(_skipped, (playbook, SkipReasons.Name(reason)));

    public void RunEnded(string playbook, RunOutcome outcome) => Increment(_ended, (playbook, RunOutcomes.Name(outcome)));

    public void CommandIssued(string playbook) => Increment(_commands, playbook);

    public void ApprovalRequested(string playbook) => Increment(_approvals, playbook);

    public void StateSaveFailed() => Interlocked.Increment(ref _saveFailures);

    public void SetActiveRuns(int count) => Interlocked.Exchange(ref _activeRuns, count);

    public void SetCatalog(int loaded, int invalidFiles)
    {
        Interlocked.Exchange(ref _loaded, loaded);
        Interlocked.Exchange(ref _invalidFiles, invalidFiles);
    }

    public long Started(string playbook) => _started.TryGetValue(playbook, out long[]? c) ? Interlocked.Read(ref c[0]) : 0;

    public long SkippedCount(string playbook, SkipReason reason) =>
        _skipped.TryGetValue((playbook, SkipReasons.Name(reason)), out long[]? c) ? Interlocked.Read(ref c[0]) : 0;

    public void WriteTo(PrometheusTextWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.Header("opsagent_playbooks_loaded", "gauge", "Playbooks loaded from the playbook directory.");
        w.Sample("opsagent_playbooks_loaded", Interlocked.Read(ref _loaded));
        w.Header("opsagent_playbooks_invalid_files", "gauge", "Playbook files skipped because they are invalid (see the log for line and fix).");
        w.Sample("opsagent_playbooks_invalid_files", Interlocked.Read(ref _invalidFiles));
        w.Header("opsagent_playbook_runs_active", "gauge", "Playbook runs in progress.");
        w.Sample("opsagent_playbook_runs_active", Interlocked.Read(ref _activeRuns));
        w.Header("opsagent_playbook_runs_started_total", "counter", "Playbook runs started, by playbook.");
        foreach ((string playbook, long[] c) in _started)
        {
            w.Sample("opsagent_playbook_runs_started_total", Interlocked.Read(ref c[0]), ("playbook", playbook));
        }

        w.Header("opsagent_playbook_runs_ended_total", "counter", "Playbook runs ended, by playbook and outcome (resolved, escalated, recovered, denied, dry_run_completed, cancelled).");
        foreach (((string playbook, string outcome), long[] c) in _ended)
        {
            w.Sample("opsagent_playbook_runs_ended_total", Interlocked.Read(ref c[0]), ("playbook", playbook), ("outcome", outcome));
        }

        w.Header("opsagent_playbook_skips_total", "counter", "Matching triggers that did not start a run, by playbook and guard (cooldown, budget_hosts, budget_hourly, circuit_open, already_running).");
        foreach (((string playbook, string reason), long[] c) in _skipped)
        {
            w.Sample("opsagent_playbook_skips_total", Interlocked.Read(ref c[0]), ("playbook", playbook), ("reason", reason));
        }

        w.Header("opsagent_playbook_commands_total", "counter", "Commands handed to the dispatcher by playbooks.");
        foreach ((string playbook, long[] c) in _commands)
        {
            w.Sample("opsagent_playbook_commands_total", Interlocked.Read(ref c[0]), ("playbook", playbook));
        }

        w.Header("opsagent_playbook_approvals_requested_total", "counter", "Playbook commands that waited for an operator's approval.");
        foreach ((string playbook, long[] c) in _approvals)
        {
            w.Sample("opsagent_playbook_approvals_requested_total", Interlocked.Read(ref c[0]), ("playbook", playbook));
        }

        w.Header("opsagent_playbook_state_save_failures_total", "counter", "Times the playbook state could not be written to the database (kept in memory and retried).");
        w.Sample("opsagent_playbook_state_save_failures_total", Interlocked.Read(ref _saveFailures));
    }

    private static void Increment<TKey>(ConcurrentDictionary<TKey, long[]> counters, TKey key)
        where TKey : notnull =>
        Interlocked.Increment(ref counters.GetOrAdd(key, static _ => new long[1])[0]);
}
