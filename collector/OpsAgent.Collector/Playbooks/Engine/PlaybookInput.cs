using OpsAgent.Protocol;

namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>An event the engine reacts to. The engine reads the time from its TimeProvider, never from an input.</summary>
internal abstract record PlaybookInput
{
    /// <summary>Detection raised (or re-raised) a signal: an anomaly, an incident opening or escalating, a forecast.</summary>
    public sealed record TriggerRaised(PlaybookTrigger Trigger) : PlaybookInput;

    /// <summary>
    /// The signal behind an incident recovered: the anomaly cleared, the incident closed, the forecast warning went
    /// down. Applies to every run of that agent and incident.
    /// </summary>
    public sealed record TriggerRecovered(string AgentId, string IncidentId) : PlaybookInput;

    /// <summary>An agent reported a command's result (from <c>TelemetryBatch.command_results</c>).</summary>
    public sealed record CommandResultReceived(string AgentId, CommandResult Result) : PlaybookInput;

    /// <summary>An operator approved or denied a command that waited for approval.</summary>
    public sealed record ApprovalDecided(string CommandId, bool Approved, string DecidedBy, string Comment) : PlaybookInput;

    /// <summary>Nothing happened but time passed: deadlines are checked (the runner sends this on a timer).</summary>
    public sealed record TimePassed : PlaybookInput;
}
