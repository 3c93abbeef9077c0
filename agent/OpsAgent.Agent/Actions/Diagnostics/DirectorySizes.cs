namespace OpsAgent.Agent.Actions.Diagnostics;

/// <summary>What <see cref="DirectorySizer"/> found.</summary>
internal sealed record DirectorySizes(List<DirectoryEntrySize> Entries, long Examined, bool HitEntryLimit, int Unreadable);
