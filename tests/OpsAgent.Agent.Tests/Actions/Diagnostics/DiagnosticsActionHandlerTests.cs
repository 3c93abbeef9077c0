using System.Runtime.Versioning;
using OpsAgent.Agent.Actions;
using OpsAgent.Agent.Actions.Diagnostics;
using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Agent.Commands;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Actions.Diagnostics;

[SupportedOSPlatform("linux")]
public sealed class DiagnosticsActionHandlerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _root;
    private readonly DiagnosticsActionHandler _handler = new(new ProcessSampler(TimeProvider.System, TimeSpan.FromMilliseconds(100)));

    public DiagnosticsActionHandlerTests()
    {
        _root = Directory.CreateDirectory(Path.Combine(_dir.Path, "data")).FullName;
    }

    public void Dispose() => _dir.Dispose();

    private ActionPolicy Policy(bool enabled = true) => new()
    {
        Diagnostics = new DiagnosticsPolicy { Enabled = enabled, Roots = [_root], MaxTopProcesses = 5, MaxTopEntries = 3 },
    };

    private Task<ActionOutcome> RunAsync(ActionPolicy policy, string directory = "", uint topProcesses = 0, uint topEntries = 0, bool dryRun = false) =>
        _handler.RunAsync(
            ActionTestContext.For(policy, ActionTestContext.Command(
                c => c.Diagnostics = new CollectDiagnostics { Directory = directory, TopProcesses = topProcesses, TopEntries = topEntries }, dryRun)),
            ActionTestContext.Timeout());

    private void Fill(string relative, int bytes)
    {
        string path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[bytes]);
    }

    [Fact]
    public async Task RunAsync_ProcessesAndDirectory_ReportsTopEntriesBiggestFirst()
    {
        Fill("big/a.bin", 300_000);
        Fill("big/nested/b.bin", 300_000);
        Fill("medium/c.bin", 200_000);
        Fill("small.bin", 1000);
        Fill("tiny/d.bin", 10);
        Directory.CreateSymbolicLink(Path.Combine(_root, "link-to-etc"), "/etc");

        ActionOutcome outcome = await RunAsync(Policy(), _root, topProcesses: 50);

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        string[] lines = outcome.Output.Split('\n');
        Assert.Contains("Top 5 of", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("Top 5 processes by CPU", StringComparison.Ordinal));
        int header = Array.FindIndex(lines, l => l.StartsWith("Biggest 3 of 5 entries in " + _root, StringComparison.Ordinal));
        Assert.True(header > 0, outcome.Output);
        Assert.EndsWith("big/", lines[header + 1], StringComparison.Ordinal);
        Assert.Contains("585.9 KiB", lines[header + 1], StringComparison.Ordinal);
        Assert.EndsWith("medium/", lines[header + 2], StringComparison.Ordinal);
        Assert.EndsWith("small.bin", lines[header + 3], StringComparison.Ordinal);
        Assert.DoesNotContain("tiny/", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SymlinkedDirectoryBelowRoot_NotFollowed()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "etc"), "/etc");

        ActionOutcome listed = await RunAsync(Policy(), _root, topEntries: 3);
        Assert.Contains("etc  (symbolic link, not followed)", listed.Output, StringComparison.Ordinal);

        ActionOutcome into = await RunAsync(Policy(), Path.Combine(_root, "etc"));
        Assert.Equal(RejectionCodes.PolicyDenied, into.RejectionCode);
    }

    [Fact]
    public async Task RunAsync_Disabled_Denied()
    {
        ActionOutcome outcome = await RunAsync(Policy(enabled: false));

        Assert.Equal(RejectionCodes.PolicyDenied, outcome.RejectionCode);
        Assert.Contains("Diagnostics.Enabled", outcome.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/etc")]
    [InlineData("/tmp/../etc")]
    public async Task RunAsync_DirectoryOutsideRoots_Denied(string directory)
    {
        ActionOutcome outcome = await RunAsync(Policy(), directory);

        Assert.Equal(RejectionCodes.PolicyDenied, outcome.RejectionCode);
    }

    [Fact]
    public async Task RunAsync_DryRun_SaysWhatItWouldReport()
    {
        ActionOutcome outcome = await RunAsync(Policy(), _root, dryRun: true);

        Assert.Equal(CommandStatus.Succeeded, outcome.Status);
        Assert.Equal($"Would report the top 5 processes by memory and by CPU and the 3 biggest entries in {_root}.", outcome.Reason);
        Assert.Empty(outcome.Output);
    }

    [Fact]
    public void TryParseStat_NameWithSpacesAndParentheses_ParsedFromLastParenthesis()
    {
        string stat = "4242 (evil) name (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 150 0 0 20 0 1 0 12345 1000000 300 18446744073709551615";

        ProcessSample? sample = LinuxProcessTable.TryParseStat(stat, 4096);

        Assert.Equal(new ProcessSample(4242, "evil) name (x)", 300 * 4096, 4.0), sample);
    }

    [Fact]
    public void Read_RealProc_FindsThisProcess()
    {
        Dictionary<int, ProcessSample> table = LinuxProcessTable.Read();

        ProcessSample self = table[Environment.ProcessId];
        Assert.True(self.ResidentBytes > 1024 * 1024);
        Assert.True(self.CpuSeconds > 0);
    }
}
