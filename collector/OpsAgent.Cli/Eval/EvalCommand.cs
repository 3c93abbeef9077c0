using System.CommandLine;
using System.Globalization;
using OpsAgent.Cli.Invocation;

namespace OpsAgent.Cli.Eval;

/// <summary><c>opsctl eval</c>: offline evaluation of the detectors on labelled data.</summary>
internal static class EvalCommand
{
    public static Command Create(CliHost host)
    {
        var eval = new Command("eval", "Evaluate OpsAgent's analysis offline on labelled data.");
        eval.Subcommands.Add(CreateNab(host));
        return eval;
    }

    private static Command CreateNab(CliHost host)
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

        // Offline: no collector, and a large corpus may take longer than any --timeout meant for a network call.
        host.SetAction(
            nab,
            context =>
            {
                try
                {
                    var report = NabEvaluation.Run(
                        context.GetValue(data)!.FullName,
                        context.GetValue(labels)!.FullName,
                        context.GetValue(output)!.FullName,
                        context.CancellationToken);
                    using var writer = new StringWriter(CultureInfo.InvariantCulture);
                    Print(report, writer);
                    context.Output.WriteLine(writer.ToString().TrimEnd('\n'));
                    return Task.FromResult(ExitCodes.Ok);
                }
                catch (NabInputException ex)
                {
                    throw new CliException(ExitCodes.Failed, ex.Message);
                }
                catch (AggregateException ex) when (ex.InnerExceptions.FirstOrDefault() is NabInputException inner)
                {
                    throw new CliException(ExitCodes.Failed, inner.Message);
                }
            },
            TimeoutPolicy.None);
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
