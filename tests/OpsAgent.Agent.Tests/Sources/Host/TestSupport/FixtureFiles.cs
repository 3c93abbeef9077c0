namespace OpsAgent.Agent.Tests.Sources.Host.TestSupport;

/// <summary>The fixture files copied next to the test assembly (tests/OpsAgent.Agent.Tests/Fixtures).</summary>
internal static class FixtureFiles
{
    public static string PathOf(string relative) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));
}
