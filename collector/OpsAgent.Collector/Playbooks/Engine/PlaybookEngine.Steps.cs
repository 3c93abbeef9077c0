using System.Security.Cryptography;
using Google.Protobuf;
using OpsAgent.Collector.Playbooks.Format;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>Steps: building commands, approval, results, verification, deadlines and the end of a run.</summary>
internal sealed partial class PlaybookEngine
{
    private const int MaxDetailLength = 500;

    private void BeginStep(PlaybookRun run, int index)
    {
        PlaybookStep step = run.Playbook.Steps[index];
        var command = new Command
        {
            CommandId = $"{run.RunId}-{step.Number}",
            AgentId = run.AgentId,
            IssuedBy = run.Playbook.IssuedBy,
            Reason = Truncate($"{run.Trigger.Summary} (incident {run.IncidentId} on {run.Host}; playbook {run.PlaybookName} step {step.Number} of {run.Playbook.Steps.Count})", 1000),
            DryRun = run.Playbook.Guards.DryRun,
            TimeoutSeconds = (uint)Math.Ceiling(step.Timeout.TotalSeconds),
        };
        run = run with { StepIndex = index, Command = null, Deadline = null, ApprovedBy = null };
        if (!step.Action.TryRender(new TemplateContext(run.PlaybookName, run.Trigger), command, out string action, out string error))
        {
            run = Record(run with { CurrentAction = action }, StepOutcome.InvalidParameters, $"nothing was sent: {error}");
            Continue(run);
            return;
        }

        run = run with { CurrentAction = action };
        if (run.Playbook.Guards.ApprovalRequired && !run.Playbook.Guards.DryRun)
        {
            DateTimeOffset deadline = _now + run.Playbook.Guards.ApprovalTimeout;
            run = Update(run with { State = RunState.AwaitingApproval, Command = command, Deadline = deadline });
            _runByCommand[command.CommandId] = run.RunId;
            _counters.ApprovalRequested(run.PlaybookName);
            LogApprovalRequested(_logger, run.PlaybookName, run.RunId, step.Number, command.CommandId, action, run.Host);
            Emit(new PlaybookDecision.RequestApproval(run, command.Clone(), deadline, Redelivery: false));
            return;
        }

        Dispatch(run, command);
    }

    private void Dispatch(PlaybookRun run, Command command)
    {
        command.IssuedUnixMs = _now.ToUnixTimeMilliseconds();
        command.ExpiresUnixMs = (_now + _options.CommandExpiry).ToUnixTimeMilliseconds();
        command.Nonce = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(16));
        DateTimeOffset deadline = _now + _options.CommandExpiry + run.CurrentStep.Timeout + _options.ResultGrace;
        run = Update(run with { State = RunState.AwaitingResult, Command = command, Deadline = deadline });
        _runByCommand[command.CommandId] = run.RunId;
        _counters.CommandIssued(run.PlaybookName);
        LogCommandIssued(_logger, run.PlaybookName, run.RunId, run.CurrentStep.Number, command.CommandId, run.CurrentAction, run.Host, command.DryRun);
        Emit(new PlaybookDecision.SendCommand(run, command.Clone(), Redelivery: false));
    }

    private void OnApprovalDecided(PlaybookInput.ApprovalDecided approval)
    {
        if (!_runByCommand.TryGetValue(approval.CommandId ?? "", out string? runId) || _runs[runId] is not { State: RunState.AwaitingApproval } run)
        {
            LogApprovalNotPending(_logger, approval.CommandId ?? "", approval.DecidedBy ?? "");
            return;
        }

        string by = string.IsNullOrWhiteSpace(approval.DecidedBy) ? "an operator" : approval.DecidedBy;
        if (approval.Approved)
        {
            Dispatch(run with { ApprovedBy = by }, run.Command!.Clone());
            return;
        }

        string comment = string.IsNullOrWhiteSpace(approval.Comment) ? "" : $": {approval.Comment}";
        run = Record(run, StepOutcome.Denied, $"denied by {by}{comment}");
        End(run, RunOutcome.Denied, $"{by} denied step {run.CurrentStep.Number} ({run.CurrentAction}){comment}; the playbook stopped there and the incident stays open.");
    }

    private void OnCommandResult(string agentId, CommandResult result)
    {
        if (result is null || !_runByCommand.TryGetValue(result.CommandId, out string? runId))
        {
            return; // not a playbook's command (ad-hoc exec, rollout), or one whose run already moved on
        }

        PlaybookRun run = _runs[runId];
        if (!string.Equals(run.AgentId, agentId, StringComparison.Ordinal))
        {
            LogResultFromWrongAgent(_logger, result.CommandId, agentId, run.AgentId);
            return;
        }

        if (run.State != RunState.AwaitingResult)
        {
            LogResultIgnored(_logger, result.CommandId, run.State.ToString());
            return;
        }

        _runByCommand.Remove(result.CommandId);
        run = run with { Command = null };
        string detail = Describe(result);
        if (run.Playbook.Guards.DryRun)
        {
            Continue(Record(run, StepOutcome.DryRun, $"dry run, {StatusText(result.Status)}: {detail}"));
            return;
        }

        switch (result.Status)
        {
            case CommandStatus.Succeeded when !run.CurrentStep.Action.IsFixAttempt:
                Continue(Record(run, StepOutcome.Informational, $"done: {detail}"));
                break;
            case CommandStatus.Succeeded when run.SignalRecovered:
                run = Record(run, StepOutcome.Fixed, "succeeded, and the signal had already recovered");
                Resolve(run);
                break;
            case CommandStatus.Succeeded:
                Update(run with { State = RunState.Verifying, Deadline = _now + run.Playbook.VerifyWindow });
                break;
            case CommandStatus.Rejected:
                Continue(Record(run, StepOutcome.Rejected, $"rejected by the agent: {detail}"));
                break;
            case CommandStatus.TimedOut:
                Continue(Record(run, StepOutcome.TimedOut, $"stopped by the agent after its timeout of {DurationText.Format(run.CurrentStep.Timeout)}: {detail}"));
                break;
            default:
                Continue(Record(run, StepOutcome.Failed, $"failed: {detail}"));
                break;
        }
    }

    private void OnTriggerRecovered(string agentId, string incidentId)
    {
        foreach (PlaybookRun run in ActiveRuns())
        {
            if (run.AgentId != agentId || run.IncidentId != incidentId)
            {
                continue;
            }

            switch (run.State)
            {
                case RunState.AwaitingApproval:
                    WithdrawApproval(run, "the signal recovered while the command waited for approval");
                    End(Record(run, StepOutcome.Cancelled, "not sent: the signal recovered while it waited for approval"), RunOutcome.Recovered,
                        $"The signal recovered on its own while step {run.CurrentStep.Number} ({run.CurrentAction}) waited for approval; nothing was changed.");
                    break;
                case RunState.AwaitingResult:
                    Update(run with { SignalRecovered = true });
                    break;
                case RunState.Verifying:
                    TimeSpan after = _now - (run.Deadline!.Value - run.Playbook.VerifyWindow);
                    Resolve(Record(run, StepOutcome.Fixed, $"succeeded; the signal recovered {DurationText.Format(after)} later"));
                    break;
            }
        }
    }

    /// <summary>Expires approvals, missing results and verification windows whose deadline has passed.</summary>
    private void AdvanceDeadlines()
    {
        foreach (PlaybookRun run in ActiveRuns())
        {
            if (run.Deadline is not { } deadline || deadline > _now)
            {
                continue;
            }

            switch (run.State)
            {
                case RunState.AwaitingApproval:
                    string waited = DurationText.Format(run.Playbook.Guards.ApprovalTimeout);
                    WithdrawApproval(run, $"nobody approved it within {waited}");
                    End(Record(run, StepOutcome.ApprovalExpired, $"not sent: nobody approved command {run.Command!.CommandId} within {waited}"), RunOutcome.Escalated,
                        EscalationMessage(run, $"Step {run.CurrentStep.Number} ({run.CurrentAction}) waited {waited} for approval and nobody approved it."));
                    break;
                case RunState.AwaitingResult:
                    _runByCommand.Remove(run.Command!.CommandId);
                    Continue(Record(run with { Command = null }, StepOutcome.NoResult,
                        $"no result by {Time(deadline)}: the agent stayed offline until the command expired, or the collector restarted while it ran"));
                    break;
                case RunState.Verifying:
                    Continue(Record(run, StepOutcome.NotFixed, $"succeeded, but the signal did not recover within {DurationText.Format(run.Playbook.VerifyWindow)}"));
                    break;
            }
        }
    }

    private void CancelRunsOfDisabledPlaybooks()
    {
        HashSet<string> enabled = [.. _catalog.Playbooks.Where(p => p.Enabled).Select(p => p.Name)];
        foreach (PlaybookRun run in ActiveRuns())
        {
            if (enabled.Contains(run.PlaybookName))
            {
                continue;
            }

            string sent = run.State == RunState.AwaitingResult ? $" Command {run.Command!.CommandId} was already sent and may still run on the agent." : "";
            if (run.State == RunState.AwaitingApproval)
            {
                WithdrawApproval(run, $"playbook {run.PlaybookName} was disabled or removed");
            }

            if (run.Command is { } command)
            {
                _runByCommand.Remove(command.CommandId);
            }

            End(Record(run, StepOutcome.Cancelled, "the playbook was disabled or removed"), RunOutcome.Cancelled,
                $"Playbook {run.PlaybookName} was disabled or removed while this run was active; no further steps were taken.{sent}");
        }
    }

    /// <summary>After a step that did not fix the problem: the next step, or the end of the run.</summary>
    private void Continue(PlaybookRun run)
    {
        bool dryRun = run.Playbook.Guards.DryRun;
        if (run.SignalRecovered && !dryRun)
        {
            End(run, RunOutcome.Recovered, $"The signal recovered on its own after step {run.CurrentStep.Number} ({run.CurrentAction}); no further steps were needed.");
        }
        else if (run.StepIndex + 1 < run.Playbook.Steps.Count)
        {
            BeginStep(run, run.StepIndex + 1);
        }
        else if (dryRun)
        {
            End(run, RunOutcome.DryRunCompleted, $"Dry run of playbook {run.PlaybookName} on {run.Host} went through {run.Playbook.Steps.Count} step(s); nothing was changed. "
                + string.Join("; ", run.Attempts.Select(a => $"step {a.StepNumber} {a.Action}: {a.Detail}")) + ".");
        }
        else
        {
            End(run, RunOutcome.Escalated, EscalationMessage(run, "Every step was tried and the signal did not recover."));
        }
    }

    private void Resolve(PlaybookRun run)
    {
        StepAttempt fix = run.Attempts[^1];
        End(run, RunOutcome.Resolved, $"Playbook {run.PlaybookName} fixed incident {run.IncidentId} on {run.Host} with step {fix.StepNumber} ({fix.Action}): {fix.Detail}.");
    }

    private void End(PlaybookRun run, RunOutcome outcome, string reason)
    {
        if (run.Command is { } command)
        {
            _runByCommand.Remove(command.CommandId);
        }

        run = Update(run with { State = RunState.Ended, Outcome = outcome, Reason = reason, EndedAt = _now, Deadline = null, Command = null });
        _lastEnded[run.Target] = _now;
        _changes.LastRunEnded[run.Target] = _now;
        UpdateBreaker(run);
        if (outcome == RunOutcome.Resolved)
        {
            Emit(new PlaybookDecision.ResolveIncident(run, reason));
        }
        else if (outcome == RunOutcome.Escalated)
        {
            Emit(new PlaybookDecision.EscalateIncident(run, reason));
        }

        Emit(new PlaybookDecision.RunEnded(run));
        _counters.RunEnded(run.PlaybookName, outcome);
        if (outcome == RunOutcome.Escalated)
        {
            LogRunEscalated(_logger, run.PlaybookName, run.RunId, run.Host, run.IncidentId, reason);
        }
        else
        {
            LogRunEnded(_logger, run.PlaybookName, run.RunId, run.Host, RunOutcomes.Name(outcome), reason);
        }
    }

    /// <summary>Counts a run that did not fix the problem towards the breaker; a run that did closes a half-open breaker.</summary>
    private void UpdateBreaker(PlaybookRun run)
    {
        if (run.Playbook.Guards.DryRun || run.Outcome is RunOutcome.Cancelled or RunOutcome.Denied)
        {
            return;
        }

        CircuitBreakerSettings settings = run.Playbook.Guards.CircuitBreaker;
        CircuitBreakerState breaker = _breakers.GetValueOrDefault(run.Target) ?? CircuitBreakerState.Closed(run.Target);
        if (run.Outcome != RunOutcome.Escalated)
        {
            if (breaker.Position != BreakerPosition.Closed)
            {
                SaveBreaker(CircuitBreakerState.Closed(run.Target));
            }

            return;
        }

        DateTimeOffset[] failures = [.. breaker.Failures.Where(f => f > _now - settings.Window), _now];
        if (breaker.Position == BreakerPosition.HalfOpen || failures.Length >= settings.FailedRuns)
        {
            DateTimeOffset until = _now + settings.OpenFor;
            SaveBreaker(new CircuitBreakerState(run.Target, BreakerPosition.Open, _now, []));
            string why = breaker.Position == BreakerPosition.HalfOpen
                ? "its trial run after the breaker's open period did not fix the problem either"
                : $"{failures.Length} run(s) within {DurationText.Format(settings.Window)} did not fix the problem";
            string message = $"Circuit breaker opened: playbook {run.PlaybookName} will not act on {run.Host} until {Time(until)}, because {why}. "
                + "Look at the host: the playbook's steps are not what it needs.";
            LogCircuitOpened(_logger, run.PlaybookName, run.Host, Time(until), why);
            Emit(new PlaybookDecision.CircuitOpened(run.Target, run.Host, until, message));
        }
        else
        {
            SaveBreaker(breaker with { Failures = failures });
        }
    }

    private void WithdrawApproval(PlaybookRun run, string reason)
    {
        if (run.Command is { } command)
        {
            _runByCommand.Remove(command.CommandId);
            Emit(new PlaybookDecision.WithdrawApproval(run, command.CommandId, reason));
        }
    }

    private PlaybookRun Record(PlaybookRun run, StepOutcome outcome, string detail)
    {
        // Command ids are RUNID-STEP, so the id is known even after the command was cleared from the run.
        string? commandId = outcome == StepOutcome.InvalidParameters ? null : $"{run.RunId}-{run.CurrentStep.Number}";
        var attempt = new StepAttempt(run.CurrentStep.Number, run.CurrentAction, commandId, outcome, Truncate(detail, MaxDetailLength), _now);
        return Update(run with { Attempts = [.. run.Attempts, attempt] });
    }

    private static string EscalationMessage(PlaybookRun run, string conclusion) =>
        $"Playbook {run.PlaybookName} could not fix incident {run.IncidentId} on {run.Host} ({run.Trigger.Summary}). {conclusion} "
        + string.Join("; ", run.Attempts.Select(a => $"step {a.StepNumber} {a.Action}: {a.Detail}"))
        + ". A person needs to look at it.";

    private static string Describe(CommandResult result)
    {
        string text = result.Reason.Length > 0 ? result.Reason : result.Output.Trim();
        if (text.Length == 0)
        {
            text = result.ExitCode != 0 ? $"exit code {result.ExitCode}" : "no output";
        }
        else if (result.ExitCode != 0)
        {
            text += $" (exit code {result.ExitCode})";
        }

        return Truncate(text.ReplaceLineEndings(" "), 300);
    }

    private static string StatusText(CommandStatus status) => status switch
    {
        CommandStatus.Succeeded => "the agent would carry it out",
        CommandStatus.Rejected => "the agent would refuse it",
        _ => "the agent reported " + status.ToString().ToLowerInvariant(),
    };

    private static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 3), "...");
}
