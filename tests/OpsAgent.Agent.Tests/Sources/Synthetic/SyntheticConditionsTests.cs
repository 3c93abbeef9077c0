using System.Diagnostics;
using System.Runtime.Versioning;
using OpsAgent.Agent.Sources;
using OpsAgent.Agent.Sources.Synthetic;

namespace OpsAgent.Agent.Tests.Sources.Synthetic;

/// <summary>Faults tied to real state: a directory that holds files, a process that runs.</summary>
public sealed class SyntheticConditionsTests : IDisposable
{
    private static readonly long At = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Collect_WhileFilesIn_FaultOnExactlyWhileTheDirectoryHoldsAFile()
    {
        string watched = Path.Combine(_dir.Path, "fill");
        Directory.CreateDirectory(watched);
        var options = new SyntheticOptions
        {
            Series = 2,
            Faults = [new SyntheticFault { Kind = SyntheticFaultKind.LevelShift, Magnitude = 1000, SeriesIndexes = [1], WhileFilesIn = watched }],
        };
        var source = new SyntheticMetricSource(options);
        var normal = new SyntheticSignal(options);

        double before = Collect(source, 1);
        File.WriteAllText(Path.Combine(watched, "a.tmp"), "x");
        double during = Collect(source, 1);
        double otherSeries = Collect(source, 0);
        File.Delete(Path.Combine(watched, "a.tmp"));
        double after = Collect(source, 1);

        Assert.Equal(normal.NormalValueAt(1, At), before);
        Assert.Equal(Math.Round(normal.NormalValueAt(1, At) + 1000, 2), during);
        Assert.Equal(normal.NormalValueAt(0, At), otherSeries);
        Assert.Equal(before, after);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void Hold_WhileProcessRuns_TrueWhileARealProcessOfThatNameRunsAndFalseOnceItIsKilled()
    {
        // A copy of sleep under a name no other process on the machine has.
        string name = "oa-t-" + Guid.NewGuid().ToString("N")[..8];
        string binary = Path.Combine(_dir.Path, name);
        File.Copy("/bin/sleep", binary);
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var fault = new SyntheticFault { WhileProcessRuns = name };
        Assert.False(SyntheticConditions.Hold(fault));

        using var process = Process.Start(new ProcessStartInfo(binary, "60") { UseShellExecute = false })!;
        try
        {
            Assert.True(SyntheticConditions.Hold(fault));
        }
        finally
        {
            process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        Assert.False(SyntheticConditions.Hold(fault));
    }

    [Fact]
    public void BuildBatch_ConditionalFault_NeverAppliesToTheBackfilledHistory()
    {
        string watched = Path.Combine(_dir.Path, "fill");
        Directory.CreateDirectory(watched);
        File.WriteAllText(Path.Combine(watched, "a.tmp"), "x");
        var options = new SyntheticOptions
        {
            Series = 1,
            Faults = [new SyntheticFault { Kind = SyntheticFaultKind.LevelShift, Magnitude = 1000, WhileFilesIn = watched }],
        };
        var signal = new SyntheticSignal(options);

        Protocol.TelemetryBatch batch = SyntheticBackfillService.BuildBatch(options, signal, At, At + 10_000, 1000);

        Assert.All(batch.Metrics[0].Values, v => Assert.InRange(v, 30, 70));
    }

    [Fact]
    public void Validate_ConditionalFaultWithoutStart_AcceptedButABadConditionIsNamed()
    {
        var good = new SyntheticOptions { Series = 1, Faults = [new SyntheticFault { WhileFilesIn = "/var/tmp/fill", Magnitude = 5 }] };
        var bad = new SyntheticOptions { Series = 1, Faults = [new SyntheticFault { WhileFilesIn = "relative/dir", WhileProcessRuns = "/usr/bin/java" }] };

        Assert.True(new SyntheticOptionsValidator().Validate(null, good).Succeeded);
        string[] failures = [.. new SyntheticOptionsValidator().Validate(null, bad).Failures!];
        Assert.Equal(2, failures.Length);
        Assert.Contains(failures, f => f.StartsWith("Agent:Metrics:Synthetic:Faults:0:WhileFilesIn", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:Metrics:Synthetic:Faults:0:WhileProcessRuns", StringComparison.Ordinal));
    }

    private static double Collect(SyntheticMetricSource source, int series)
    {
        var buffer = new MetricBuffer(At);
        source.Collect(buffer);
        return buffer.Samples[series].Value;
    }
}
