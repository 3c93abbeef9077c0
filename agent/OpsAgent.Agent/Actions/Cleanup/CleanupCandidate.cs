namespace OpsAgent.Agent.Actions.Cleanup;

/// <summary>A file that matched: where it is (directories below the cleaned one), its name, size and last write time.</summary>
internal sealed record CleanupCandidate(string[] Directories, string Name, long Size, DateTime LastWriteUtc)
{
    public string RelativePath => Directories.Length == 0 ? Name : string.Join('/', Directories) + "/" + Name;
}
