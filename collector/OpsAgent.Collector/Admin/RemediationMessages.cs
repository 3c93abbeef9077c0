using OpsAgent.Collector.Commands;
using OpsAgent.Collector.Playbooks.Catalog;
using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Protocol;
using FormatProblem = OpsAgent.Collector.Playbooks.Format.PlaybookProblem;
using ProtoCommandState = OpsAgent.Protocol.CommandState;
using ProtoProblem = OpsAgent.Protocol.PlaybookProblemInfo;
using StoredState = OpsAgent.Collector.Commands.CommandState;

namespace OpsAgent.Collector.Admin;

/// <summary>Commands, playbook runs and problems as the admin API returns them (remediation.proto).</summary>
internal static class RemediationMessages
{
    public static CommandInfo ToMessage(CommandRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var info = new CommandInfo
        {
            CommandId = r.CommandId,
            AgentId = r.AgentId,
            Hostname = r.Hostname,
            State = ToMessage(r.State),
            StateReason = r.StateReason,
            Action = r.Action,
            IssuedBy = r.IssuedBy,
            Reason = r.Reason,
            DryRun = r.DryRun,
            Playbook = r.Playbook ?? "",
            RunId = r.RunId ?? "",
            IncidentId = r.IncidentId ?? "",
            CreatedUnixMs = r.CreatedUnixMs,
            UpdatedUnixMs = r.UpdatedUnixMs,
            ExpiresUnixMs = r.ExpiresUnixMs,
            ApprovalDeadlineUnixMs = r.ApprovalDeadlineUnixMs,
            DecidedBy = r.DecidedBy ?? "",
            DecisionComment = r.DecisionComment ?? "",
            DecidedUnixMs = r.DecidedUnixMs,
            FirstSentUnixMs = r.FirstSentUnixMs,
            LastSentUnixMs = r.LastSentUnixMs,
            SendCount = (uint)r.SendCount,
            TimeoutSeconds = r.Command.TimeoutSeconds,
        };
        if (r.Result is { } result)
        {
            info.Result = CommandDispatcher.ToResult(r);
            info.ResultReceivedUnixMs = result.ReceivedUnixMs;
        }

        return info;
    }

    public static ProtoCommandState ToMessage(StoredState state) => (ProtoCommandState)(int)state;

    /// <summary>The stored state of a requested one; null for values that are not states.</summary>
    public static StoredState? FromMessage(ProtoCommandState state) =>
        state != ProtoCommandState.Unspecified && Enum.IsDefined((StoredState)(int)state) ? (StoredState)(int)state : null;

    public static PlaybookRunInfo ToMessage(PlaybookRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new PlaybookRunInfo
        {
            RunId = run.RunId,
            AgentId = run.AgentId,
            Hostname = run.Host,
            IncidentId = run.IncidentId,
            State = run.State switch
            {
                RunState.AwaitingApproval => "awaiting_approval",
                RunState.AwaitingResult => "awaiting_result",
                RunState.Verifying => "verifying",
                _ => "ended",
            },
            Step = (uint)run.CurrentStep.Number,
            Action = run.CurrentAction,
            CommandId = run.Command?.CommandId ?? "",
            StartedUnixMs = run.StartedAt.ToUnixTimeMilliseconds(),
            UpdatedUnixMs = run.UpdatedAt.ToUnixTimeMilliseconds(),
            EndedUnixMs = run.EndedAt?.ToUnixTimeMilliseconds() ?? 0,
            DeadlineUnixMs = run.Deadline?.ToUnixTimeMilliseconds() ?? 0,
            Outcome = run.Outcome is { } outcome ? RunOutcomes.Name(outcome) : "",
            Reason = run.Reason ?? "",
            Trigger = run.Trigger.Summary,
        };
    }

    public static ProtoProblem ToMessage(FormatProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new ProtoProblem { Line = (uint)Math.Max(0, problem.Line), Column = (uint)Math.Max(0, problem.Column), Path = problem.Path, Message = problem.Message };
    }

    public static InvalidPlaybookFile ToMessage(PlaybookFileProblem file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var message = new InvalidPlaybookFile { File = file.File, KeptPrevious = file.KeptPrevious };
        message.Problems.Add(file.Problems.Select(ToMessage));
        return message;
    }

    public static string Position(BreakerPosition position) => position switch
    {
        BreakerPosition.Open => "open",
        BreakerPosition.HalfOpen => "half_open",
        _ => "closed",
    };
}
