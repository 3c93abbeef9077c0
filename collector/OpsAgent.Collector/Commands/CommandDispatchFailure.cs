namespace OpsAgent.Collector.Commands;

/// <summary>Why the dispatcher refused a request (mapped to a gRPC status by the admin API).</summary>
internal enum CommandDispatchFailure
{
    /// <summary>No command has that id.</summary>
    NotFound,

    /// <summary>The command is not in a state where that makes sense (approving a finished command).</summary>
    WrongState,

    /// <summary>The agent has too many unfinished commands.</summary>
    TooMany,
}
