
namespace OpsAgent.Collector.Storage;

internal sealed partial class SqliteTelemetryStore
{
    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Telemetry store ready: {Series} series of {Agents} agents loaded, {Pending} chunks closed during replay")]
    private static partial void LogRecovered(ILogger logger, int series, int agents, int pending);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Replayed {Records} write-ahead records ({Samples} samples) left by the previous run")]
    private static partial void LogReplayed(ILogger logger, int records, long samples);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "Quarantined a corrupt {Kind} record (id {SourceId}) in {Path}: {Reason}. Its samples are lost; the record is kept in the quarantine table for inspection and everything else is served")]
    private static partial void LogQuarantined(ILogger logger, string kind, long sourceId, string path, string reason);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Error, Message = "Chunk {ChunkId} of series {SeriesId} in {Path} is corrupt and was skipped; it will be quarantined at the next maintenance pass")]
    private static partial void LogCorruptChunk(ILogger logger, Exception exception, long chunkId, ulong seriesId, string path);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Warning, Message = "Series {SeriesId} was not loaded: {Reason}")]
    private static partial void LogSeriesSkipped(ILogger logger, long seriesId, string reason);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Error, Message = "Could not commit {Batches} batches to {Path}; they were not acknowledged and their agents will resend them. Check free disk space and the file's permissions")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int batches, string path);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Error, Message = "Could not reload the telemetry store from {Path} after a failed commit; batches are refused until it succeeds")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Error, Message = "Storage task {Kind} failed; the store reloads its state before the next commit")]
    private static partial void LogControlFailed(ILogger logger, Exception exception, ControlKind kind);

    [LoggerMessage(EventId = 1018, Level = LogLevel.Warning, Message = "Rolling back a failed commit also failed")]
    private static partial void LogRollbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1019, Level = LogLevel.Debug, Message = "Skipped compacting the database file: {Reason}")]
    private static partial void LogVacuumSkipped(ILogger logger, string reason);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "Retention deleted {Chunks} chunks with samples before {Cutoff:u}")]
    private static partial void LogRetention(ILogger logger, long chunks, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Information, Message = "Forgot {Series} series whose last sample is before {Cutoff:u} (past the downsampled retention)")]
    private static partial void LogSeriesExpired(ILogger logger, int series, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 1023, Level = LogLevel.Critical, Message = "The telemetry store's writer hit an unexpected error; the batches of this commit were not stored (their agents resend them) and the store reloads its state")]
    private static partial void LogWriterFault(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Error, Message = "A rollup of series {SeriesId} is corrupt and was skipped")]
    private static partial void LogCorruptRollup(ILogger logger, Exception exception, ulong seriesId);
}
