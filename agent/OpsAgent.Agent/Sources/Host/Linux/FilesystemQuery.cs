namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>The outcome of one filesystem's free-space query in one cycle.</summary>
internal readonly record struct FilesystemQuery(FilesystemQueryStatus Status, FilesystemStats Stats, Exception? Error)
{
    public static FilesystemQuery Succeeded(FilesystemStats stats) => new(FilesystemQueryStatus.Succeeded, stats, null);

    public static FilesystemQuery Failed(Exception error) => new(FilesystemQueryStatus.Failed, default, error);
}

internal enum FilesystemQueryStatus
{
    /// <summary><see cref="FilesystemQuery.Stats"/> holds this cycle's answer.</summary>
    Succeeded,

    /// <summary>The query failed; <see cref="FilesystemQuery.Error"/> says why.</summary>
    Failed,

    /// <summary>The query did not answer within the timeout this cycle; it is left running.</summary>
    TimedOut,

    /// <summary>A query from an earlier cycle has still not answered, so none was started.</summary>
    StillPending,
}
