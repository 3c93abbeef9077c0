using System.Globalization;
using OpsAgent.Analysis.Detection;
using OpsAgent.Analysis.Evaluation;

namespace OpsAgent.Cli.Eval;

/// <summary>
/// Runs the default detector over a NAB-format corpus, writes NAB results files and scores them under the three
/// profiles. The detector is the same class with the same configuration as the collector runs per series.
/// </summary>
internal static class NabEvaluation
{
    /// <summary>Results files are named like NAB's: &lt;detector&gt;_&lt;file&gt;.csv.</summary>
    public const string DetectorName = "opsagent";

    public static NabReport Run(string dataDir, string labelsPath, string outDir, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(dataDir))
        {
            throw new NabInputException($"{dataDir}: data directory not found (expected DIR/<category>/<file>.csv).");
        }

        var labels = NabFormat.ReadLabels(labelsPath);
        if (labels.Count == 0)
        {
            throw new NabInputException($"{labelsPath}: the labels file lists no files; add an entry \"category/file.csv\": [] per data file.");
        }

        var names = labels.Keys.ToArray();
        var series = new NabSeries[names.Length];
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, names.Length, options, k =>
        {
            string name = names[k];
            var file = NabFormat.ReadDataFile(Path.Combine(dataDir, name), name);
            IReadOnlyList<NabWindow> windows;
            try
            {
                windows = NabScorer.WindowsFromTimestamps(file.TimestampsMs, labels[name]);
            }
            catch (ArgumentException ex)
            {
                throw new NabInputException($"{labelsPath}: the windows of '{name}' are not usable ({ex.Message}); make them disjoint.", ex);
            }

            var scores = Detect(file.TimestampsMs, file.Values);
            WriteResults(outDir, file, scores, windows);
            series[k] = new NabSeries(name, scores, windows);
        });

        var results = NabProfile.All.Select(p => NabScorer.Optimize(series, p)).ToArray();
        return new NabReport(series, results);
    }

    /// <summary>One detector per file, fed in input order, exactly as the collector feeds one series.</summary>
    public static double[] Detect(long[] timestampsMs, double[] values)
    {
        var detector = new AnomalyDetector();
        var scores = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            scores[i] = detector.Update(timestampsMs[i], values[i]);
        }

        return scores;
    }

    private static void WriteResults(string outDir, NabDataFile file, double[] scores, IReadOnlyList<NabWindow> windows)
    {
        string? category = Path.GetDirectoryName(file.RelativePath);
        string fileName = $"{DetectorName}_{Path.GetFileName(file.RelativePath)}";
        string dir = string.IsNullOrEmpty(category) ? outDir : Path.Combine(outDir, category);
        string path = Path.Combine(dir, fileName);
        var label = new bool[scores.Length];
        foreach (var w in windows)
        {
            Array.Fill(label, true, w.FirstRow, w.Width);
        }

        try
        {
            Directory.CreateDirectory(dir);
            using var writer = new StreamWriter(path);
            writer.NewLine = "\n";
            writer.WriteLine("timestamp,value,anomaly_score,label");
            for (int i = 0; i < scores.Length; i++)
            {
                writer.Write(file.TimestampText[i]);
                writer.Write(',');
                writer.Write(file.ValueText[i]);
                writer.Write(',');
                writer.Write(scores[i].ToString("R", CultureInfo.InvariantCulture));
                writer.Write(',');
                writer.WriteLine(label[i] ? "1" : "0");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new NabInputException($"{path}: cannot write the results file ({ex.Message}); check that --out is a writable directory.", ex);
        }
    }
}
