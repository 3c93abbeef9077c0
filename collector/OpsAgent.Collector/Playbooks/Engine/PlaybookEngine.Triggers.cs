using OpsAgent.Collector.Playbooks.Format;

namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>Triggers: matching, guards, starting runs.</summary>
internal sealed partial class PlaybookEngine
{
    private void OnTriggerRaised(PlaybookTrigger trigger)
    {
        if (trigger is null || string.IsNullOrWhiteSpace(trigger.AgentId) || string.IsNullOrWhiteSpace(trigger.IncidentId) || trigger.Labels is null)
        {
            LogInvalidTrigger(_logger, trigger?.AgentId ?? "", trigger?.IncidentId ?? "");
            return;
        }

        // The same incident raised again: if a run saw its signal recover, it is not recovered any more.
        foreach (PlaybookRun run in ActiveRuns())
        {
            if (run.SignalRecovered && run.AgentId == trigger.AgentId && run.IncidentId == trigger.IncidentId)
            {
                Update(run with { SignalRecovered = false });
            }
        }

        foreach (Playbook playbook in _catalog.Playbooks)
        {
            if (!playbook.Enabled || !playbook.Match.Matches(trigger)
                || _runByIncident.ContainsKey((playbook.Name, trigger.AgentId, trigger.IncidentId)))
            {
                continue;
            }

            if (CheckGuards(playbook, trigger) is { } skip)
            {
                _counters.Skipped(playbook.Name, skip.Reason);
                LogSkipped(_logger, playbook.Name, trigger.Host, SkipReasons.Name(skip.Reason), skip.Message);
                Emit(skip);
                continue;
            }

            StartRun(playbook, trigger);
        }
    }

    /// <summary>The first guard that refuses a run, as a skip decision; null when the run may start.</summary>
    private PlaybookDecision.SkipTrigger? CheckGuards(Playbook playbook, PlaybookTrigger trigger)
    {
        var target = new PlaybookTarget(playbook.Name, trigger.AgentId);
        PlaybookGuards guards = playbook.Guards;
        string prefix = $"Playbook {playbook.Name} did not start on {trigger.Host} for incident {trigger.IncidentId}:";
        PlaybookDecision.SkipTrigger Skip(SkipReason reason, string why) => new(playbook.Name, trigger, reason, $"{prefix} {why}");

        if (ActiveRuns().FirstOrDefault(r => r.Target == target) is { } running)
        {
            return Skip(SkipReason.AlreadyRunning,
                $"it is already running there for incident {running.IncidentId} (run {running.RunId}); a playbook runs once per host at a time.");
        }

        if (_breakers.TryGetValue(target, out CircuitBreakerState? breaker) && breaker.Position == BreakerPosition.Open)
        {
            DateTimeOffset until = breaker.OpenedAt!.Value + guards.CircuitBreaker.OpenFor;
            if (_now < until)
            {
                return Skip(SkipReason.CircuitOpen,
                    $"its circuit breaker for this host is open since {Time(breaker.OpenedAt.Value)} because {guards.CircuitBreaker.FailedRuns} run(s) did not fix the problem; "
                    + $"one trial run is allowed from {Time(until)}. Investigate the host, or fix the cause and wait.");
            }
        }

        if (_lastEnded.TryGetValue(target, out DateTimeOffset ended) && _now < ended + guards.Cooldown)
        {
            return Skip(SkipReason.Cooldown,
                $"it last ran there until {Time(ended)} and its cooldown is {DurationText.Format(guards.Cooldown)}; it may run there again from {Time(ended + guards.Cooldown)}.");
        }

        PlaybookRun[] active = [.. ActiveRuns().Where(r => r.PlaybookName == playbook.Name)];
        if (active.Length >= guards.MaxHosts)
        {
            string hosts = string.Join(", ", active.Take(5).Select(r => r.Host)) + (active.Length > 5 ? ", ..." : "");
            return Skip(SkipReason.BudgetHosts,
                $"it is already running on {active.Length} host(s) ({hosts}), its budget's max_hosts; it may start again when one of those runs ends.");
        }

        DateTimeOffset hourAgo = _now - TimeSpan.FromHours(1);
        DateTimeOffset[] recent = [.. _runs.Values.Where(r => r.PlaybookName == playbook.Name && r.StartedAt > hourAgo).Select(r => r.StartedAt).Order()];
        if (recent.Length >= guards.MaxRunsPerHour)
        {
            return Skip(SkipReason.BudgetHourly,
                $"it started {recent.Length} run(s) in the last hour, its budget's max_runs_per_hour; the next run may start from {Time(recent[recent.Length - guards.MaxRunsPerHour] + TimeSpan.FromHours(1))}.");
        }

        return null;
    }

    private void StartRun(Playbook playbook, PlaybookTrigger trigger)
    {
        var target = new PlaybookTarget(playbook.Name, trigger.AgentId);
        if (_breakers.TryGetValue(target, out CircuitBreakerState? breaker) && breaker.Position == BreakerPosition.Open)
        {
            // CheckGuards let it through, so the open period is over: this run is the half-open trial.
            SaveBreaker(breaker with { Position = BreakerPosition.HalfOpen });
        }

        var run = new PlaybookRun(
            NewRunId(), playbook, trigger, RunState.AwaitingResult, 0, "", null, null, SignalRecovered: false, ApprovedBy: null,
            _now, _now, null, null, null, []);
        Track(run);
        Update(run);
        _counters.RunStarted(playbook.Name);
        LogRunStarted(_logger, playbook.Name, run.RunId, trigger.Host, trigger.IncidentId, trigger.Summary);
        int position = _decisions.Count;
        BeginStep(run, 0);
        _decisions.Insert(position, new PlaybookDecision.RunStarted(_runs[run.RunId]));
    }

    private void SaveBreaker(CircuitBreakerState breaker)
    {
        _breakers[breaker.Target] = breaker;
        _changes.Breakers[breaker.Target] = breaker;
        _breakersChanged = true;
    }
}
