using OpsAgent.EndToEnd.Tests.Infrastructure;

namespace OpsAgent.EndToEnd.Tests.Install;

/// <summary>
/// A throw-away filesystem root for <c>install/linux/install.sh --root</c>, fed with the programs this test run
/// built (<c>--from-build</c>) so that no test publishes or touches the machine's /etc, /opt or systemd.
/// </summary>
internal sealed class StagingRoot : IDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public StagingRoot()
    {
        Root = _dir.Sub("root");

        // The layout --from-build expects (that of /opt/opsagent): agent/ and collector/ with their programs.
        Build = _dir.Sub("build");
        Directory.CreateSymbolicLink(System.IO.Path.Combine(Build, "agent"), System.IO.Path.GetDirectoryName(Binaries.Agent)!);
        Directory.CreateSymbolicLink(System.IO.Path.Combine(Build, "collector"), System.IO.Path.GetDirectoryName(Binaries.Collector)!);
    }

    public static string Script => System.IO.Path.Combine(Binaries.RepositoryRoot, "install", "linux", "install.sh");

    public static string LinuxSources => System.IO.Path.Combine(Binaries.RepositoryRoot, "install", "linux");

    public string Root { get; }

    public string Build { get; }

    /// <summary>Where an absolute path of the target system (/etc/opsagent/agent.json) lies in the staging root.</summary>
    public string Path(string absolute) => System.IO.Path.Combine(Root, absolute.TrimStart('/'));

    public Task<CommandResult> InstallAsync(params string[] args) =>
        RunScriptAsync([.. args, "--root", Root, "--from-build", Build]);

    public Task<CommandResult> UninstallAsync(params string[] args) =>
        RunScriptAsync(["--uninstall", .. args, "--root", Root]);

    public static Task<CommandResult> RunScriptAsync(IEnumerable<string> args) =>
        ShellCommand.RunAsync("bash", [Script, .. args], ScriptTimeout);

    /// <summary>Every file and directory under the root, as absolute paths of the target system, without the programs' contents.</summary>
    public SortedSet<string> List()
    {
        var entries = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string entry in Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories))
        {
            string relative = "/" + System.IO.Path.GetRelativePath(Root, entry);
            if (!relative.StartsWith("/opt/opsagent/agent/", StringComparison.Ordinal) &&
                !relative.StartsWith("/opt/opsagent/collector/", StringComparison.Ordinal))
            {
                entries.Add(relative);
            }
        }

        return entries;
    }

    public void Dispose() => _dir.Dispose();
}
