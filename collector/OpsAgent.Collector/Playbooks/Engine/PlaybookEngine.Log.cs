namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>Log messages of the engine (event ids 6000-6049).</summary>
internal sealed partial class PlaybookEngine
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Playbook {Playbook} started run {RunId} on {Host} for incident {IncidentId}: {Summary}")]
    private static partial void LogRunStarted(ILogger logger, string playbook, string runId, string host, string incidentId, string summary);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Playbook {Playbook} skipped on {Host} ({Reason}): {Message}")]
    private static partial void LogSkipped(ILogger logger, string playbook, string host, string reason, string message);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Playbook {Playbook} run {RunId} step {Step}: sending command {CommandId} ({Action}) to {Host} (dry run: {DryRun})")]
    private static partial void LogCommandIssued(ILogger logger, string playbook, string runId, int step, string commandId, string action, string host, bool dryRun);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Playbook {Playbook} run {RunId} step {Step}: command {CommandId} ({Action}) for {Host} waits for approval: opsctl commands approve {CommandId}")]
    private static partial void LogApprovalRequested(ILogger logger, string playbook, string runId, int step, string commandId, string action, string host);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Playbook {Playbook} run {RunId} on {Host} ended {Outcome}: {Reason}")]
    private static partial void LogRunEnded(ILogger logger, string playbook, string runId, string host, string outcome, string reason);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "Playbook {Playbook} run {RunId} on {Host} escalated incident {IncidentId}: {Reason}")]
    private static partial void LogRunEscalated(ILogger logger, string playbook, string runId, string host, string incidentId, string reason);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Warning, Message = "Circuit breaker of playbook {Playbook} on {Host} opened until {Until}: {Why}")]
    private static partial void LogCircuitOpened(ILogger logger, string playbook, string host, string until, string why);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Warning, Message = "Ignored a result for command {CommandId} from agent {AgentId}: the command was sent to agent {Expected}. An agent can only report its own commands.")]
    private static partial void LogResultFromWrongAgent(ILogger logger, string commandId, string agentId, string expected);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Warning, Message = "Ignored a playbook trigger without an agent id or incident id (agent '{AgentId}', incident '{IncidentId}'); the integration must fill both.")]
    private static partial void LogInvalidTrigger(ILogger logger, string agentId, string incidentId);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Error, Message = "Could not save the playbook state to the database; it is kept in memory and written with the next event. A collector restart before then loses these changes.")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Error, Message = "Stored playbook run {RunId} (playbook {Playbook}, agent {AgentId}, incident {IncidentId}) cannot be read back and is cancelled: {Problem}")]
    private static partial void LogUnreadableRun(ILogger logger, string runId, string playbook, string agentId, string incidentId, string problem);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Information, Message = "Ignored a result for command {CommandId}: its run is {State} (a late or repeated result).")]
    private static partial void LogResultIgnored(ILogger logger, string commandId, string state);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Information, Message = "Approval decision by {DecidedBy} for command {CommandId} ignored: no playbook command with that id is waiting for approval.")]
    private static partial void LogApprovalNotPending(ILogger logger, string commandId, string decidedBy);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Information, Message = "Playbook engine resumed {Active} active run(s) of {Stored} stored.")]
    private static partial void LogResumed(ILogger logger, int active, int stored);
}
