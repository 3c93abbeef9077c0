namespace OpsAgent.Agent.Actions.Policy;

/// <summary>A directory in which the collector may have old or large files deleted, and the limits that apply.</summary>
internal sealed class CleanupRule
{
    /// <summary>Absolute path. Commands may name it or a directory below it; never anything outside it.</summary>
    public string Directory { get; set; } = "";

    /// <summary>File name globs ("*.log.*", "core.*"); a file is deleted only if it matches one of them. Required.</summary>
    public List<string> Patterns { get; set; } = [];

    /// <summary>Files younger than this (by last write time) are never deleted, whatever the command asks.</summary>
    public long MinAgeSeconds { get; set; }

    /// <summary>At most this many files are deleted per command (the oldest first).</summary>
    public int MaxFilesPerRun { get; set; } = 1000;

    /// <summary>Also clean subdirectories (never through symbolic links, never into another mounted filesystem).</summary>
    public bool Recursive { get; set; }
}
