using System.CommandLine;
using System.Globalization;

namespace OpsAgent.Cli.Eval;

/// <summary><c>opsctl eval</c>: offline evaluation of the detectors on labelled data.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var eval = new Command("eval", "Evaluate OpsAgent's analysis offline on labelled data.");
        eval.Subcommands.Add(CreateNab());
        return eval;
    }

    private static Command CreateNab()
    {
        var data = new Option<DirectoryInfo>("--data")
        {
            Description = "Directory of NAB-format files: DIR/<category>/<file>.csv with columns timestamp,value.",
            Required = true,
        };
        var labels = new Option<FileInfo>("--labels")
        {
            Description = "Labels file like NAB's combined_windows.json: {\"category/file.csv\": [[start, end], ...]}.",
            Required = true,
        };
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Directory for the results files OUT/<category>/opsagent_<file>.csv.",
            Required = true,
        };
        var nab = new Command("nab", "Run the default anomaly detector over a NAB-format corpus and print NAB scores for the three profiles.")
        {
            data, labels, output,
        };
        nab.SetAction((parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            try
            {
                var report = NabEvaluation.Run(
                    parseResult.GetRequiredValue(data).FullName,
                    parseResult.GetRequiredValue(labels).FullName,
                    parseResult.GetRequiredValue(output).FullName,
                    cancellationToken);
                Print(report, stdout);
                return Task.FromResult(0);
            }
            catch (NabInputException ex)
            {
                stderr.WriteLine($"error: {ex.Message}");
                return Task.FromResult(1);
            }
            catch (AggregateException ex) when (ex.InnerExceptions.FirstOrDefault() is NabInputException inner)
            {
                stderr.WriteLine($"error: {inner.Message}");
                return Task.FromResult(1);
            }
        });
        return nab;
    }

    internal static void Print(NabReport report, TextWriter output)
    {
        int windows = report.Series.Sum(s => s.Windows.Count);
        int rows = report.Series.Sum(s => s.Scores.Count);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"files {report.Series.Count}, rows {rows}, windows {windows}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"profile",-20} {"score",8} {"threshold",12} {"TP",5} {"FN",5} {"FP",6}"));
        foreach (var r in report.Results)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Profile.Name,-20} {r.NormalizedScore,8:F2} {r.Threshold,12:G6} {r.TruePositives,5} {r.FalseNegatives,5} {r.FalsePositives,6}"));
        }
    }
}
