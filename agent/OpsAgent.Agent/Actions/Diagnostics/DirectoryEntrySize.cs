namespace OpsAgent.Agent.Actions.Diagnostics;

/// <summary>One entry directly below the measured directory and the bytes below it (apparent sizes).</summary>
/// <param name="Note">Why it was not measured, when it was not: "symbolic link", "another filesystem".</param>
internal sealed record DirectoryEntrySize(string Name, long Bytes, bool IsDirectory, string? Note);
