namespace OpsAgent.Collector.Commands;

/// <summary>Log messages of the command dispatcher (event ids 6200-6219).</summary>
internal sealed partial class CommandDispatcher
{
    [LoggerMessage(EventId = 6200, Level = LogLevel.Information, Message = "Commands: {AwaitingApproval} awaiting approval and {Open} awaiting delivery or a result, loaded from the database.")]
    private static partial void LogLoaded(ILogger logger, int awaitingApproval, int open);

    [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "Command {CommandId} made: {Action} on {Host}, issued by {IssuedBy}: {Reason}")]
    private static partial void LogIssued(ILogger logger, string commandId, string action, string host, string issuedBy, string reason);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Information, Message = "Command {CommandId} ({Action}) sent to {Host}.")]
    private static partial void LogSent(ILogger logger, string commandId, string action, string host);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Information, Message = "Command {CommandId} sent again to {Host} after it reconnected without answering (send {Count}); the agent runs it at most once.")]
    private static partial void LogResent(ILogger logger, string commandId, string host, int count);

    [LoggerMessage(EventId = 6204, Level = LogLevel.Warning, Message = "Command {CommandId} could not be written to the stream of {Host} (its queue is full); it is tried again within a second.")]
    private static partial void LogSendDeferred(ILogger logger, string commandId, string host);

    [LoggerMessage(EventId = 6205, Level = LogLevel.Information, Message = "Command {CommandId} ({Action}) on {Host}: {State}. {Outcome}")]
    private static partial void LogFinished(ILogger logger, string commandId, string action, string host, string state, string outcome);

    [LoggerMessage(EventId = 6206, Level = LogLevel.Warning, Message = "Refused the result of command {CommandId} from agent {AgentId} [{Code}]: {Message}")]
    private static partial void LogResultRefused(ILogger logger, string commandId, string agentId, string code, string message);

    [LoggerMessage(EventId = 6207, Level = LogLevel.Debug, Message = "A result of command {CommandId} from {Host} came for a command that was already finished; its record now says {State}.")]
    private static partial void LogResultOfFinished(ILogger logger, string commandId, string state, string host);

    [LoggerMessage(EventId = 6208, Level = LogLevel.Warning, Message = "Command {CommandId} ({Action}) on {Host} awaits approval until {Deadline:u}, issued by {IssuedBy}: opsctl commands approve {CommandId}")]
    private static partial void LogAwaitingApproval(ILogger logger, string commandId, string action, string host, string issuedBy, DateTimeOffset deadline);

    [LoggerMessage(EventId = 6209, Level = LogLevel.Information, Message = "Command {CommandId} ({Action}) on {Host} approved by {ApprovedBy}.")]
    private static partial void LogApproved(ILogger logger, string commandId, string action, string host, string approvedBy);

    [LoggerMessage(EventId = 6210, Level = LogLevel.Information, Message = "Command {CommandId} ({Action}) on {Host} denied by {DeniedBy}; it is not sent.")]
    private static partial void LogDenied(ILogger logger, string commandId, string action, string host, string deniedBy);

    [LoggerMessage(EventId = 6211, Level = LogLevel.Information, Message = "Command {CommandId} ({Action}) on {Host}, approved by {ApprovedBy}, signed and queued for the agent.")]
    private static partial void LogApprovedQueued(ILogger logger, string commandId, string action, string host, string approvedBy);

    [LoggerMessage(EventId = 6212, Level = LogLevel.Error, Message = "The playbook engine's queue is full; the stored result of command {CommandId} is not handed to it again. Its run moves on at its deadline.")]
    private static partial void LogInboxFull(ILogger logger, string commandId);

    [LoggerMessage(EventId = 6213, Level = LogLevel.Error, Message = "Checking command expiries failed; it is tried again at the next sweep. Check the database file and the disk.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6214, Level = LogLevel.Information, Message = "Deleted {Count} finished commands older than the retention of {Retention} (Collector:Commands:Retention).")]
    private static partial void LogPruned(ILogger logger, int count, TimeSpan retention);

    [LoggerMessage(EventId = 6215, Level = LogLevel.Warning, Message = "The audit entry of command {CommandId} was dropped: the audit queue is full. The command's own record in the commands table is complete.")]
    private static partial void LogAuditDropped(ILogger logger, string commandId);
}
