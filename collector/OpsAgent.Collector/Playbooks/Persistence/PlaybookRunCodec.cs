using System.Text.Json;
using Google.Protobuf;
using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Collector.Playbooks.Format;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Playbooks.Persistence;

/// <summary>
/// Converts runs to and from their stored JSON. The definition is stored as its YAML source and parsed again on load,
/// so a run resumes with exactly the playbook it started with.
/// </summary>
internal static class PlaybookRunCodec
{
    public static string Encode(PlaybookRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var stored = new StoredRun
        {
            RunId = run.RunId,
            PlaybookSource = run.Playbook.Source,
            Trigger = new StoredTrigger
            {
                Kind = (int)run.Trigger.Kind,
                IncidentId = run.Trigger.IncidentId,
                AgentId = run.Trigger.AgentId,
                Host = run.Trigger.Host,
                Labels = new Dictionary<string, string>(run.Trigger.Labels, StringComparer.Ordinal),
                Metric = run.Trigger.Metric,
                LogTemplate = run.Trigger.LogTemplate,
                Severity = (int)run.Trigger.Severity,
                RaisedMs = run.Trigger.RaisedAt.ToUnixTimeMilliseconds(),
                Summary = run.Trigger.Summary,
            },
            State = (int)run.State,
            StepIndex = run.StepIndex,
            CurrentAction = run.CurrentAction,
            Command = run.Command?.ToByteArray(),
            DeadlineMs = run.Deadline?.ToUnixTimeMilliseconds(),
            SignalRecovered = run.SignalRecovered,
            ApprovedBy = run.ApprovedBy,
            StartedMs = run.StartedAt.ToUnixTimeMilliseconds(),
            UpdatedMs = run.UpdatedAt.ToUnixTimeMilliseconds(),
            EndedMs = run.EndedAt?.ToUnixTimeMilliseconds(),
            Outcome = (int?)run.Outcome,
            Reason = run.Reason,
            Attempts =
            [
                .. run.Attempts.Select(a => new StoredAttempt
                {
                    Step = a.StepNumber,
                    Action = a.Action,
                    CommandId = a.CommandId,
                    Outcome = (int)a.Outcome,
                    Detail = a.Detail,
                    AtMs = a.At.ToUnixTimeMilliseconds(),
                }),
            ],
        };
        return JsonSerializer.Serialize(stored, PlaybookJsonContext.Default.StoredRun);
    }

    /// <summary>Decodes a stored run; false with the reason when the JSON, the command or the definition does not read back.</summary>
    public static bool TryDecode(string json, out PlaybookRun? run, out string problem)
    {
        run = null;
        StoredRun? stored;
        try
        {
            stored = JsonSerializer.Deserialize(json, PlaybookJsonContext.Default.StoredRun);
        }
        catch (JsonException ex)
        {
            problem = $"the stored run is not valid JSON ({ex.Message})";
            return false;
        }

        if (stored is null || stored.Version != 1)
        {
            problem = $"the stored run has format version {stored?.Version}, which this collector does not know";
            return false;
        }

        PlaybookParseResult parsed = PlaybookParser.Parse(stored.PlaybookSource);
        if (parsed.Playbook is not { } playbook)
        {
            problem = "its playbook definition no longer parses: " + string.Join("; ", parsed.Problems.Take(3));
            return false;
        }

        if (!Enum.IsDefined((RunState)stored.State) || stored.StepIndex < 0 || stored.StepIndex >= playbook.Steps.Count
            || ((RunState)stored.State != RunState.Ended && stored.DeadlineMs is null))
        {
            problem = $"the stored state ({stored.State}, step index {stored.StepIndex}) does not fit the playbook";
            return false;
        }

        Command? command = null;
        if (stored.Command is { } bytes)
        {
            try
            {
                command = Command.Parser.ParseFrom(bytes);
            }
            catch (InvalidProtocolBufferException ex)
            {
                problem = $"its pending command does not decode ({ex.Message})";
                return false;
            }
        }

        StoredTrigger t = stored.Trigger;
        var trigger = new PlaybookTrigger(
            (TriggerKind)t.Kind, t.IncidentId, t.AgentId, t.Host, new Dictionary<string, string>(t.Labels, StringComparer.Ordinal),
            t.Metric, t.LogTemplate, (TriggerSeverity)t.Severity, FromMs(t.RaisedMs), t.Summary);
        run = new PlaybookRun(
            stored.RunId,
            playbook,
            trigger,
            (RunState)stored.State,
            stored.StepIndex,
            stored.CurrentAction,
            command,
            stored.DeadlineMs is { } deadline ? FromMs(deadline) : null,
            stored.SignalRecovered,
            stored.ApprovedBy,
            FromMs(stored.StartedMs),
            FromMs(stored.UpdatedMs),
            stored.EndedMs is { } ended ? FromMs(ended) : null,
            (RunOutcome?)stored.Outcome,
            stored.Reason,
            [.. stored.Attempts.Select(a => new StepAttempt(a.Step, a.Action, a.CommandId, (StepOutcome)a.Outcome, a.Detail, FromMs(a.AtMs)))]);
        problem = "";
        return true;
    }

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
