namespace OpsAgent.Agent.Outbox;

internal sealed partial class DiskOutbox
{
    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning,
        Message = "Outbox full ({MaxBytes} bytes on disk, Agent:Outbox:MaxDiskBytes): deleted segment {Segment} of lane {Lane} with {Batches} unsent batches (sequences {First} to {Last}) to make room for newer data. The collector has been unreachable or slow for a while (see the uplink log); raise Agent:Outbox:MaxDiskBytes to ride out longer outages.")]
    private static partial void LogSegmentDropped(ILogger logger, string segment, OutboxLane lane, int batches, ulong first, ulong last, long maxBytes);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning,
        Message = "Outbox full ({MaxBytes} bytes on disk) of more important data: dropped new batch {Sequence} of lane {Lane} ({Size} bytes).")]
    private static partial void LogDroppedNew(ILogger logger, ulong sequence, OutboxLane lane, int size, long maxBytes);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Error,
        Message = "Dropped batch {Sequence} of lane {Lane}: at {Size} bytes it does not fit in the whole outbox (Agent:Outbox:MaxDiskBytes = {MaxBytes}). Raise the limit or make the source send smaller batches.")]
    private static partial void LogTooLarge(ILogger logger, ulong sequence, OutboxLane lane, int size, long maxBytes);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Error,
        Message = "Could not write batch {Sequence} of lane {Lane} to the outbox in {Directory}: {Reason} The batch is kept in memory only (lost if the agent stops before it is sent); later batches keep trying the disk. Check the free space and permissions of the state directory. Repeats at most once a minute.")]
    private static partial void LogWriteFailed(ILogger logger, ulong sequence, OutboxLane lane, string directory, string reason);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Warning,
        Message = "Dropped batch {Sequence} of lane {Lane}: the outbox cannot write to disk and its memory share is full.")]
    private static partial void LogDroppedUnwritable(ILogger logger, ulong sequence, OutboxLane lane);

    [LoggerMessage(EventId = 1208, Level = LogLevel.Error,
        Message = "fsync of {File} failed: {Reason} Batches written to it are in the kernel's cache but may not survive a power loss. Check the disk (dmesg).")]
    private static partial void LogSyncFailed(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 1209, Level = LogLevel.Error,
        Message = "Outbox segment {File} is unusable: {Problem}. Moved it to {Target}; every other segment is still delivered. Its batches are lost. Nothing else to do unless this repeats (a failing disk, or something else writing into the state directory).")]
    private static partial void LogQuarantined(ILogger logger, string file, string problem, string target);

    [LoggerMessage(EventId = 1210, Level = LogLevel.Error,
        Message = "Outbox segment {File} is unusable ({Problem}) and could not be moved to quarantine: {Reason} The agent skips it; delete it by hand.")]
    private static partial void LogQuarantineFailed(ILogger logger, string file, string problem, string reason);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Error,
        Message = "Outbox segment {File} is damaged ({Problem}; {Regions} damaged region(s), {Bytes} bytes). Kept its {Salvaged} intact batches, which will be sent; the damaged batches are lost. The damaged file is in {Target}.")]
    private static partial void LogSalvaged(ILogger logger, string file, string problem, int regions, long bytes, int salvaged, string target);

    [LoggerMessage(EventId = 1212, Level = LogLevel.Error,
        Message = "Outbox segment {File} has damaged bytes at offset {Offset} ({Problem}); skipped to the next intact batch. Check the disk (dmesg).")]
    private static partial void LogDamagedWhileReading(ILogger logger, string file, long offset, string problem);

    [LoggerMessage(EventId = 1213, Level = LogLevel.Error,
        Message = "Could not read outbox segment {File}: {Reason} Its unread batches are given up.")]
    private static partial void LogReadFailed(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 1214, Level = LogLevel.Error,
        Message = "Outbox batch {Sequence} of lane {Lane} passed its checksum but is not a telemetry batch ({Problem}); it is given up. Was the state directory written by another program?")]
    private static partial void LogUnparsable(ILogger logger, ulong sequence, OutboxLane lane, string problem);

    [LoggerMessage(EventId = 1215, Level = LogLevel.Information,
        Message = "Outbox {Directory}: {Batches} unacknowledged batches ({Bytes} bytes in {Segments} segment files) from before the restart will be sent.")]
    private static partial void LogRecovered(ILogger logger, string directory, int batches, long bytes, int segments);

    [LoggerMessage(EventId = 1216, Level = LogLevel.Warning,
        Message = "Ignored the outbox's acknowledgement file {File}: {Problem}. Batches acknowledged shortly before the restart may be sent again; the collector drops them as duplicates.")]
    private static partial void LogAcksIgnored(ILogger logger, string file, string problem);

    [LoggerMessage(EventId = 1217, Level = LogLevel.Warning,
        Message = "Could not save the outbox's acknowledgements to {File}: {Reason} After a restart, batches acknowledged since the last save are sent again (the collector drops them as duplicates).")]
    private static partial void LogAcksNotSaved(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 1218, Level = LogLevel.Warning,
        Message = "Ignored {Path} in the outbox directory: it is not an outbox segment name. Move it elsewhere; the outbox directory is the agent's own.")]
    private static partial void LogUnknownFile(ILogger logger, string path);

    [LoggerMessage(EventId = 1219, Level = LogLevel.Warning, Message = "Could not delete {Path}: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, string path, string reason);
}
