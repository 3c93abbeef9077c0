using OpsAgent.Cli.Tests.Infrastructure;

namespace OpsAgent.Cli.Tests.Eval;

public sealed class EvalNabCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "opsagent-eval-" + Guid.NewGuid().ToString("N"));

    public EvalNabCommandTests() => Directory.CreateDirectory(Path.Combine(_root, "data", "cat"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Data => Path.Combine(_root, "data");

    private string Labels => Path.Combine(_root, "labels.json");

    private string Out => Path.Combine(_root, "out");

    private static string Timestamp(int i) => new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(5 * i).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private void WriteSeries(string name, int rows, Func<int, double> value, Func<int, int>? timestampIndex = null)
    {
        var lines = new List<string> { "timestamp,value" };
        for (int i = 0; i < rows; i++)
        {
            lines.Add($"{Timestamp(timestampIndex?.Invoke(i) ?? i)},{value(i).ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        File.WriteAllLines(Path.Combine(Data, "cat", name), lines);
    }

    private static (int Exit, string Stdout, string Stderr) Invoke(params string[] args)
    {
        CliResult result = new CliRunner().RunAsync(args).GetAwaiter().GetResult();
        return (result.ExitCode, result.Stdout, result.Stderr);
    }

    [Fact]
    public void EvalNab_TinyCorpus_WritesOneResultRowPerInputRowAndPrintsThreeProfiles()
    {
        // A daily-ish cycle with a big level shift at row 1500; a repeated timestamp at row 10 and a step back at row 20.
        WriteSeries("shift.csv", 2000, i => 50 + (20 * Math.Sin(i / 20.0)) + (i >= 1500 ? 200 : 0),
            i => i == 10 ? 9 : i == 20 ? 18 : i);
        WriteSeries("quiet.csv", 1000, i => 5 + Math.Sin(i / 7.0));
        File.WriteAllText(Labels, $$"""
            {
              "cat/shift.csv": [["{{Timestamp(1450)}}.000000", "{{Timestamp(1550)}}.000000"]],
              "cat/quiet.csv": []
            }
            """);

        var (exit, stdout, stderr) = Invoke("eval", "nab", "--data", Data, "--labels", Labels, "--out", Out);

        Assert.True(exit == 0, stderr);
        var rows = File.ReadAllLines(Path.Combine(Out, "cat", "opsagent_shift.csv"));
        Assert.Equal("timestamp,value,anomaly_score,label", rows[0]);
        Assert.Equal(2001, rows.Length);
        Assert.Equal(Timestamp(9), rows[11].Split(',')[0]);
        Assert.Equal(Timestamp(18), rows[21].Split(',')[0]);
        Assert.Equal("1", rows[1451].Split(',')[3]);
        Assert.Equal("0", rows[1449].Split(',')[3]);
        Assert.All(rows.Skip(1), r => Assert.InRange(double.Parse(r.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture), 0.0, 1.0));
        Assert.Equal(1001, File.ReadAllLines(Path.Combine(Out, "cat", "opsagent_quiet.csv")).Length);
        Assert.Contains("standard", stdout, StringComparison.Ordinal);
        Assert.Contains("reward_low_FP_rate", stdout, StringComparison.Ordinal);
        Assert.Contains("reward_low_FN_rate", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalNab_BrokenCsvLine_ErrorNamesFileAndLine()
    {
        WriteSeries("bad.csv", 10, i => i);
        File.AppendAllText(Path.Combine(Data, "cat", "bad.csv"), "2024-01-02 00:00:00,not-a-number\n");
        File.WriteAllText(Labels, """{"cat/bad.csv": []}""");

        var (exit, _, stderr) = Invoke("eval", "nab", "--data", Data, "--labels", Labels, "--out", Out);

        Assert.Equal(1, exit);
        Assert.Contains("bad.csv:12:", stderr, StringComparison.Ordinal);
        Assert.Contains("not-a-number", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalNab_MissingDataFile_ErrorNamesTheFile()
    {
        File.WriteAllText(Labels, """{"cat/missing.csv": []}""");

        var (exit, _, stderr) = Invoke("eval", "nab", "--data", Data, "--labels", Labels, "--out", Out);

        Assert.Equal(1, exit);
        Assert.Contains("missing.csv", stderr, StringComparison.Ordinal);
        Assert.Contains("not found", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalNab_OverlappingWindows_ErrorNamesLabelsFileAndEntry()
    {
        WriteSeries("a.csv", 100, i => i);
        File.WriteAllText(Labels, $$"""
            {"cat/a.csv": [["{{Timestamp(10)}}", "{{Timestamp(30)}}"], ["{{Timestamp(20)}}", "{{Timestamp(40)}}"]]}
            """);

        var (exit, _, stderr) = Invoke("eval", "nab", "--data", Data, "--labels", Labels, "--out", Out);

        Assert.Equal(1, exit);
        Assert.Contains("labels.json", stderr, StringComparison.Ordinal);
        Assert.Contains("cat/a.csv", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalNab_BadJson_ErrorNamesLabelsFileAndLine()
    {
        File.WriteAllText(Labels, "{\n  \"cat/x.csv\": [\n}");

        var (exit, _, stderr) = Invoke("eval", "nab", "--data", Data, "--labels", Labels, "--out", Out);

        Assert.Equal(1, exit);
        Assert.Contains("labels.json:3:", stderr, StringComparison.Ordinal);
    }
}
