namespace OpsAgent.Agent.Actions.Cleanup;

/// <summary>
/// A directory being cleaned, opened so that nothing below it can lead outside it: entries are looked at without
/// following symbolic links, subdirectories are opened without following them, and deletions happen relative to this
/// directory, never through a path that could be redirected in the meantime.
/// </summary>
internal interface ICleanupDirectory : IDisposable
{
    /// <summary>The directory's path, for reports.</summary>
    string Path { get; }

    /// <summary>Identifies the mounted filesystem this directory is on (0 when the platform does not tell).</summary>
    long MountId { get; }

    /// <summary>The entries, as lstat sees them (a symbolic link is reported as a link, never as its target).</summary>
    IEnumerable<FileSystemInfo> Entries();

    /// <summary>A fresh look at one entry, or null when it is gone.</summary>
    FileSystemInfo? Inspect(string name);

    /// <summary>Opens a subdirectory without following a link. Throws <see cref="CleanupPathException"/> when it cannot.</summary>
    ICleanupDirectory OpenChild(string name);

    /// <summary>Deletes a file (never a directory) in this directory. Throws <see cref="IOException"/> when it cannot.</summary>
    void DeleteFile(string name);
}
