namespace OpsAgent.Agent.Tests.Sources.Host.TestSupport;

/// <summary>A writable copy of a fixture tree in a temporary directory, deleted on dispose.</summary>
internal sealed class TempTree : IDisposable
{
    private TempTree(string root)
    {
        Root = root;
    }

    public string Root { get; }

    public string Proc => Path.Combine(Root, "proc");

    public string Sys => Path.Combine(Root, "sys");

    public static TempTree Empty() => new(Directory.CreateTempSubdirectory("opsagent-host-").FullName);

    public static TempTree CopyOf(string fixture)
    {
        TempTree tree = Empty();
        string source = FixtureFiles.PathOf(fixture);
        foreach (string directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(tree.Root, Path.GetRelativePath(source, directory)));
        }

        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(tree.Root, Path.GetRelativePath(source, file)));
        }

        return tree;
    }

    /// <summary>Writes <paramref name="content"/> to a path relative to the root, creating directories.</summary>
    public void Write(string relative, string content)
    {
        string path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>Copies a fixture file over a path of this tree.</summary>
    public void WriteFixture(string relative, string fixture) => Write(relative, FixtureFiles.Read(fixture));

    public void Delete(string relative)
    {
        string path = Path.Combine(Root, relative);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else
        {
            File.Delete(path);
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
