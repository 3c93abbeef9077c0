namespace OpsAgent.Agent.Actions;

/// <summary>How the actions list a directory: one level, every entry (links reported as links, hidden files included), unreadable ones skipped.</summary>
internal static class DirectoryListing
{
    public static EnumerationOptions OneLevel { get; } = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };
}
