namespace OpsAgent.Agent.Actions.Cleanup;

/// <summary>
/// A directory addressed by path, for platforms without the Linux descriptor calls (Windows). Links and junctions are
/// never followed or deleted, but unlike <see cref="LinuxCleanupDirectory"/> a directory swapped for a junction between
/// the check and the deletion is not caught: on Windows, clean only directories that untrusted users cannot write.
/// </summary>
internal sealed class PathCleanupDirectory : ICleanupDirectory
{
    private PathCleanupDirectory(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public long MountId => 0;

    public static PathCleanupDirectory OpenRoot(string path) => new(Check(path));

    public ICleanupDirectory OpenChild(string name) => new PathCleanupDirectory(Check(System.IO.Path.Join(Path, name)));

    public IEnumerable<FileSystemInfo> Entries() => new DirectoryInfo(Path).EnumerateFileSystemInfos("*", DirectoryListing.OneLevel);

    public FileSystemInfo? Inspect(string name)
    {
        var info = new FileInfo(System.IO.Path.Join(Path, name));
        return (int)info.Attributes == -1 ? null : info;
    }

    public void DeleteFile(string name)
    {
        if (Inspect(name) is { } info && (info.Attributes & (FileAttributes.ReparsePoint | FileAttributes.Directory)) != 0)
        {
            throw new IOException("it became a link or a directory; not deleted");
        }

        File.Delete(System.IO.Path.Join(Path, name));
    }

    public void Dispose()
    {
        // Nothing is held open.
    }

    private static string Check(string path)
    {
        var info = new DirectoryInfo(path);
        if ((int)info.Attributes == -1)
        {
            throw new CleanupPathException($"{path} does not exist.", denied: false);
        }

        if ((info.Attributes & FileAttributes.ReparsePoint) != 0)
        {
            throw new CleanupPathException($"{path} is a symbolic link or junction; cleanup never follows links. Name the real directory.", denied: true);
        }

        if ((info.Attributes & FileAttributes.Directory) == 0)
        {
            throw new CleanupPathException($"{path} is not a directory.", denied: true);
        }

        return path;
    }
}
