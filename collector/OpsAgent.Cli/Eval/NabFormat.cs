using System.Globalization;
using System.Text.Json;

namespace OpsAgent.Cli.Eval;

/// <summary>Reads NAB data files and label files. Every error names the file and the line and says what to fix.</summary>
internal static class NabFormat
{
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm",
    ];

    /// <summary>Parses a NAB timestamp (UTC assumed when no offset is given) into unix milliseconds.</summary>
    public static bool TryParseTimestamp(string text, out long unixMs)
    {
        if (DateTimeOffset.TryParseExact(text.Trim(), TimestampFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            unixMs = parsed.ToUnixTimeMilliseconds();
            return true;
        }

        unixMs = 0;
        return false;
    }

    /// <summary>Reads a CSV whose first two columns are timestamp and value, with a header line.</summary>
    public static NabDataFile ReadDataFile(string path, string relativePath)
    {
        if (!File.Exists(path))
        {
            throw new NabInputException($"{path}: data file not found (the labels file lists '{relativePath}'; add the file or remove its entry from the labels).");
        }

        var tsText = new List<string>();
        var valueText = new List<string>();
        var ts = new List<long>();
        var values = new List<double>();
        int lineNumber = 0;
        using (var reader = new StreamReader(path))
        {
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                lineNumber++;
                if (lineNumber == 1)
                {
                    var header = line.Split(',');
                    if (header.Length < 2 || !header[0].Trim().Equals("timestamp", StringComparison.OrdinalIgnoreCase)
                        || !header[1].Trim().Equals("value", StringComparison.OrdinalIgnoreCase))
                    {
                        throw new NabInputException($"{path}:1: expected the header 'timestamp,value' but found '{Truncate(line)}'.");
                    }

                    continue;
                }

                if (line.Length == 0)
                {
                    continue;
                }

                var fields = line.Split(',');
                if (fields.Length < 2)
                {
                    throw new NabInputException($"{path}:{lineNumber}: expected 'timestamp,value' but found '{Truncate(line)}'.");
                }

                if (!TryParseTimestamp(fields[0], out long unixMs))
                {
                    throw new NabInputException($"{path}:{lineNumber}: '{Truncate(fields[0])}' is not a timestamp (expected YYYY-MM-DD HH:MM:SS).");
                }

                if (!double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                {
                    throw new NabInputException($"{path}:{lineNumber}: '{Truncate(fields[1])}' is not a finite number.");
                }

                tsText.Add(fields[0].Trim());
                valueText.Add(fields[1].Trim());
                ts.Add(unixMs);
                values.Add(value);
            }
        }

        if (lineNumber == 0)
        {
            throw new NabInputException($"{path}: the file is empty (expected the header 'timestamp,value' and one row per sample).");
        }

        return new NabDataFile(relativePath, tsText, valueText, [.. ts], [.. values]);
    }

    /// <summary>
    /// Reads NAB's combined_windows.json: an object mapping "category/file.csv" to a list of
    /// [start, end] timestamp pairs.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(long Start, long End)>> ReadLabels(string path)
    {
        if (!File.Exists(path))
        {
            throw new NabInputException($"{path}: labels file not found.");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new NabInputException($"{path}:{(ex.LineNumber ?? 0) + 1}: the labels file is not valid JSON ({ex.Message}).", ex);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new NabInputException($"{path}:1: expected an object mapping \"category/file.csv\" to a list of [start, end] windows.");
            }

            var result = new SortedDictionary<string, IReadOnlyList<(long, long)>>(StringComparer.Ordinal);
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Array)
                {
                    throw new NabInputException($"{path}: the entry '{entry.Name}' must be a list of [start, end] windows.");
                }

                var windows = new List<(long, long)>();
                foreach (var window in entry.Value.EnumerateArray())
                {
                    if (window.ValueKind != JsonValueKind.Array || window.GetArrayLength() != 2
                        || window[0].ValueKind != JsonValueKind.String || window[1].ValueKind != JsonValueKind.String)
                    {
                        throw new NabInputException($"{path}: a window of '{entry.Name}' is not a pair of timestamp strings [\"start\", \"end\"].");
                    }

                    string startText = window[0].GetString()!, endText = window[1].GetString()!;
                    if (!TryParseTimestamp(startText, out long start) || !TryParseTimestamp(endText, out long end))
                    {
                        throw new NabInputException($"{path}: the window [\"{startText}\", \"{endText}\"] of '{entry.Name}' has a timestamp that is not YYYY-MM-DD HH:MM:SS[.ffffff].");
                    }

                    if (end < start)
                    {
                        throw new NabInputException($"{path}: the window [\"{startText}\", \"{endText}\"] of '{entry.Name}' ends before it starts.");
                    }

                    windows.Add((start, end));
                }

                result[entry.Name.Replace('\\', '/')] = windows;
            }

            return result;
        }
    }

    private static string Truncate(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 60), "...");
}
