namespace OpsAgent.Collector.Playbooks.Catalog;

/// <summary>Log messages of the playbook store (event ids 6050-6069).</summary>
internal sealed partial class PlaybookStore
{
    [LoggerMessage(EventId = 6050, Level = LogLevel.Information, Message = "Playbook {Playbook} {Change} from {File} (enabled: {Enabled}, {Steps} step(s))")]
    private static partial void LogLoaded(ILogger logger, string playbook, string file, string change, bool enabled, int steps);

    [LoggerMessage(EventId = 6051, Level = LogLevel.Information, Message = "Playbook {Playbook} was removed; its active runs are cancelled.")]
    private static partial void LogRemoved(ILogger logger, string playbook);

    [LoggerMessage(EventId = 6052, Level = LogLevel.Error, Message = "Playbook file {File} is invalid and was skipped; the other playbooks are loaded. Fix: {Problems}")]
    private static partial void LogInvalid(ILogger logger, string file, string problems);

    [LoggerMessage(EventId = 6053, Level = LogLevel.Error, Message = "Playbook file {File} was changed and is now invalid; its last valid version stays in force until it is fixed. Fix: {Problems}")]
    private static partial void LogInvalidKept(ILogger logger, string file, string problems);

    [LoggerMessage(EventId = 6054, Level = LogLevel.Error, Message = "The playbook directory {Directory} cannot be read ({Error}); the playbooks loaded before stay in force. Create it and let the collector's user read it, or set Collector:Playbooks:Directory.")]
    private static partial void LogDirectoryUnreadable(ILogger logger, string directory, string error);

    [LoggerMessage(EventId = 6055, Level = LogLevel.Warning, Message = "Could not delete the temporary playbook file {File} ({Error}); it is ignored (its name starts with '.') and may be deleted by hand.")]
    private static partial void LogTemporaryLeft(ILogger logger, string file, string error);
}
