namespace OpsAgent.EndToEnd.Tests.Infrastructure;

/// <summary>Where the build put the programs under test (the same configuration as this test assembly).</summary>
internal static class Binaries
{
    private static readonly string BinRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", ".."));
    private static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;

    public static string Collector => Dll("OpsAgent.Collector", "OpsAgent.Collector.dll");

    public static string Agent => Dll("OpsAgent.Agent", "OpsAgent.Agent.dll");

    public static string Opsctl => Dll("OpsAgent.Cli", "opsctl.dll");

    /// <summary>The repository root (for scripts under install/ and the shared datasets beside it).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "OpsAgent.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("OpsAgent.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private static string Dll(string project, string file)
    {
        string path = Path.Combine(BinRoot, project, Configuration, file);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing; build the solution before running the end-to-end tests.", path);
    }
}
