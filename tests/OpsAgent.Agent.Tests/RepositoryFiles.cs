namespace OpsAgent.Agent.Tests;

/// <summary>Files of the source tree the tests check (the shipped example configuration), found from the test binaries.</summary>
internal static class RepositoryFiles
{
    public static string Path(string relative)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "OpsAgent.sln")))
            {
                return System.IO.Path.Combine(dir.FullName, relative);
            }
        }

        throw new InvalidOperationException("OpsAgent.sln not found above " + AppContext.BaseDirectory);
    }
}
