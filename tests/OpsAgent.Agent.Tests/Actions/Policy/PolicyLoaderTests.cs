using System.Runtime.Versioning;
using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Actions.Policy;

[SupportedOSPlatform("linux")]
public sealed class PolicyLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private LocalPolicy LoadText(string json)
    {
        string path = Path.Combine(_dir.Path, "policy.json");
        File.WriteAllText(path, json);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return PolicyLoader.Load(path);
    }

    [Fact]
    public void Load_MissingFile_NoPolicyAndNoError()
    {
        LocalPolicy policy = PolicyLoader.Load(Path.Combine(_dir.Path, "absent.json"));

        Assert.False(policy.IsLoaded);
        Assert.Empty(policy.Errors);
    }

    [Fact]
    public void Load_ShippedExample_ValidAndAllowsOnlyDiagnostics()
    {
        LocalPolicy policy = LoadText(File.ReadAllText(RepositoryFiles.Path("install/linux/policy.json")));

        Assert.True(policy.Errors.Count == 0, string.Join("\n", policy.Errors));
        Assert.True(policy.IsLoaded);
        ActionPolicy loaded = policy.Policy!;
        Assert.Empty(loaded.Services);
        Assert.Empty(loaded.Processes);
        Assert.Empty(loaded.Cleanup);
        Assert.Empty(loaded.Scripts.Allowed);
        Assert.True(loaded.Diagnostics.Enabled);
    }

    [Fact]
    public void Load_ShippedExampleWithCommentedEntriesEnabled_Valid()
    {
        // Every commented-out example entry, uncommented, must itself be valid: admins copy them.
        string[] lines = File.ReadAllLines(RepositoryFiles.Path("install/linux/policy.json"));
        var enabled = lines.Select(l => l.TrimStart().StartsWith("// {", StringComparison.Ordinal) ||
            l.TrimStart().StartsWith("//   \"", StringComparison.Ordinal) || l.TrimStart() == "// }"
                ? l.Replace("//", "  ", StringComparison.Ordinal)
                : l);

        LocalPolicy policy = LoadText(string.Join('\n', enabled));

        Assert.True(policy.Errors.Count == 0, string.Join("\n", policy.Errors));
        Assert.Equal(2, policy.Policy!.Services.Count);
        Assert.Equal(2, policy.Policy.Processes.Count);
        Assert.Single(policy.Policy.Cleanup);
        Assert.Single(policy.Policy.Scripts.Allowed);
    }

    [Fact]
    public void Load_Valid_NormalisesNamesSignalsAndPaths()
    {
        LocalPolicy policy = LoadText("""
            {
              "services": [ { "name": "nginx", "operations": ["Restart", "STOP"] } ],
              "Processes": [ { "Name": "python3", "Signals": ["sigterm", "Kill"] } ],
              "Cleanup": [ { "Directory": "/var/log//app/", "Patterns": ["*.gz"], }, ],
              "Scripts": { "Directory": "/etc/opsagent/scripts", "Allowed": [ { "Name": "a.sh", "ArgumentPattern": "[a-z]+" } ] },
            }
            """);

        Assert.True(policy.Errors.Count == 0, string.Join("\n", policy.Errors));
        ActionPolicy loaded = policy.Policy!;
        Assert.Equal("nginx.service", loaded.Services[0].Name);
        Assert.Equal([ServiceAction.Types.Operation.Restart, ServiceAction.Types.Operation.Stop], loaded.Services[0].AllowedOperations.Order());
        Assert.Equal(["TERM", "KILL"], loaded.Processes[0].Signals);
        Assert.Equal("/var/log/app", loaded.Cleanup[0].Directory);
        Assert.Matches(loaded.Scripts.Allowed[0].ArgumentRegex!, "abc");
        Assert.DoesNotMatch(loaded.Scripts.Allowed[0].ArgumentRegex!, "abc; rm");
    }

    [Fact]
    public void Load_NotJson_ErrorNamesFileAndLine()
    {
        LocalPolicy policy = LoadText("{\n  \"Services\": [\n    { \"Name\": \"nginx\" \n  ]\n}");

        string error = Assert.Single(policy.Errors);
        Assert.Contains(Path.Combine(_dir.Path, "policy.json"), error, StringComparison.Ordinal);
        Assert.Contains("at line 4", error, StringComparison.Ordinal);
        Assert.False(policy.IsLoaded);
    }

    [Fact]
    public void Load_MisspeltKey_ErrorNamesIt()
    {
        LocalPolicy policy = LoadText("""{ "Sevices": [] }""");

        string error = Assert.Single(policy.Errors);
        Assert.Contains("'Sevices'", error, StringComparison.Ordinal);
        Assert.Contains("install/linux/policy.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NullWhereValueNeeded_Error()
    {
        LocalPolicy policy = LoadText("""{ "Services": [ { "Name": null, "Operations": ["restart"] } ] }""");

        Assert.Contains("Name", Assert.Single(policy.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ManyProblems_EveryOneReportedWithKeyAndFix()
    {
        LocalPolicy policy = LoadText("""
            {
              "Services": [ { "Name": "-evil", "Operations": ["reboot"] }, { "Name": "ok" } ],
              "Processes": [ { "Name": "/usr/bin/python3", "Signals": ["SEGV"] } ],
              "Cleanup": [
                { "Directory": "/", "Patterns": ["*"] },
                { "Directory": "var/log", "Patterns": [] },
                { "Directory": "/var/log/../etc", "Patterns": ["a/b"], "MaxFilesPerRun": 0, "MinAgeSeconds": -1 }
              ],
              "Scripts": { "Directory": "scripts", "Allowed": [ { "Name": "../x.sh", "ArgumentPattern": "([", "MaxArguments": 999, "TimeoutSeconds": 0 } ] },
              "Diagnostics": { "Roots": ["relative"], "MaxTopProcesses": 0 },
              "Timeouts": { "ServiceSeconds": 0 },
              "MaxOutputBytes": 10
            }
            """);

        string all = string.Join("\n", policy.Errors);
        Assert.False(policy.IsLoaded);
        Assert.All(policy.Errors, e => Assert.StartsWith("Policy file " + Path.Combine(_dir.Path, "policy.json") + ": ", e, StringComparison.Ordinal));
        string[] expected =
        [
            "Services[0].Name '-evil' is not a service name",
            "Services[0].Operations: 'reboot' is not an operation",
            "Services[1].Operations is empty",
            "Processes[0].Name '/usr/bin/python3' is not a process name",
            "Processes[0].Signals: 'SEGV' is not a signal",
            "Cleanup[0].Directory is the filesystem root",
            "Cleanup[1].Directory: 'var/log' is not an absolute path",
            "Cleanup[1].Patterns is empty",
            "Cleanup[2].Directory: '/var/log/../etc' contains a '..' segment",
            "Cleanup[2].Patterns: 'a/b' is not a file name pattern",
            "Cleanup[2].MinAgeSeconds must be between 0",
            "Cleanup[2].MaxFilesPerRun must be between 1 and 100000; got 0",
            "Scripts.Directory: 'scripts' is not an absolute path",
            "Scripts.Allowed[0].Name '../x.sh' is not a file name",
            "Scripts.Allowed[0].MaxArguments must be between 0 and 256; got 999",
            "Scripts.Allowed[0].TimeoutSeconds must be between 1",
            "Scripts.Allowed[0].ArgumentPattern is not a valid regular expression",
            "Diagnostics.Roots[0]: 'relative' is not an absolute path",
            "Diagnostics.MaxTopProcesses must be between 1 and 1000; got 0",
            "Timeouts.ServiceSeconds must be between 1 and 86400 seconds; got 0",
            "MaxOutputBytes must be between 1024 and 1048576; got 10",
        ];
        foreach (string part in expected)
        {
            Assert.Contains(part, all, StringComparison.Ordinal);
        }

        Assert.Equal(expected.Length, policy.Errors.Count);
    }

    [Fact]
    public void Load_FileWritableByOthers_Refused()
    {
        string path = Path.Combine(_dir.Path, "policy.json");
        File.WriteAllText(path, "{}");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);

        LocalPolicy policy = PolicyLoader.Load(path);

        string error = Assert.Single(policy.Errors);
        Assert.Contains("writable by other users (mode 0606)", error, StringComparison.Ordinal);
        Assert.Contains("chmod go-w " + path, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CleanupDirectoryIsSymlink_Refused()
    {
        string real = Directory.CreateDirectory(Path.Combine(_dir.Path, "real")).FullName;
        string link = Path.Combine(_dir.Path, "link");
        Directory.CreateSymbolicLink(link, real);

        LocalPolicy policy = LoadText($$"""{ "Cleanup": [ { "Directory": "{{link}}", "Patterns": ["*"] } ] }""");

        Assert.Contains($"is a symbolic link to '{real}'", Assert.Single(policy.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DirectoryInsteadOfFile_Error()
    {
        LocalPolicy policy = PolicyLoader.Load(_dir.Path);

        Assert.Contains("is a directory", Assert.Single(policy.Errors), StringComparison.Ordinal);
    }
}
