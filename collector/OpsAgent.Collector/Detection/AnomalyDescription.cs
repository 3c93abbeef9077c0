using System.Globalization;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Detection;

/// <summary>
/// Lines for people about anomalies and incidents ("/var on web-1 full in ~4h"), written once here so that logs, the
/// admin API, opsctl and notifications say the same thing.
/// </summary>
internal static class AnomalyDescription
{
    public static string Describe(AnomalyRecord anomaly)
    {
        SeriesIdentity series = anomaly.Series;
        if (anomaly.Kind == AnomalyKind.Exhaustion && anomaly.Forecast is { } f)
        {
            string interval = f.LatestMs < 0
                ? $"at least {Duration(f.EarliestMs)}"
                : $"{Duration(f.EarliestMs)}–{Duration(f.LatestMs)}";
            return $"{Resource(series)} on {series.Hostname} full in ~{Duration(f.TimeToExhaustionMs)} ({interval}, {Percent(f.Confidence)} sure; now {Value(f.Level, series)})";
        }

        string usual = double.IsNaN(anomaly.UsualLow) || double.IsNaN(anomaly.UsualHigh)
            ? string.Empty
            : anomaly.UsualLow == anomaly.UsualHigh
                ? $" (usually {Value(anomaly.UsualLow, series)})"
                : $" (usually {Value(anomaly.UsualLow, series)} to {Value(anomaly.UsualHigh, series)})";
        return $"{series.Display} on {series.Hostname} at {Value(anomaly.Value, series)}{usual}";
    }

    /// <summary>The incident's title: its first anomaly, and how many more joined.</summary>
    public static string Title(AnomalyRecord first, int anomalies) =>
        anomalies <= 1 ? Describe(first) : $"{Describe(first)} (+{anomalies - 1} more)";

    /// <summary>What runs out, in an admin's words: "filesystem /var", "inodes of /var", "memory".</summary>
    public static string Resource(SeriesIdentity series)
    {
        string where = series.Label("mountpoint") ?? series.Label("device") ?? string.Empty;
        return series.Name switch
        {
            "system.filesystem.utilization" or "system.filesystem.usage" => $"filesystem {where}".TrimEnd(),
            "system.filesystem.inodes.utilization" or "system.filesystem.inodes.usage" => $"inodes of {where}".TrimEnd(),
            "system.memory.utilization" or "system.memory.usage" => "memory",
            _ => series.Display,
        };
    }

    /// <summary>A value in the series' unit; counters are watched as a per-second rate.</summary>
    public static string Value(double value, SeriesIdentity series)
    {
        if (double.IsNaN(value))
        {
            return "?";
        }

        string text = series.Unit switch
        {
            "1" => Percent(value),
            "By" => Bytes(value),
            "s" => Math.Abs(value) < 1 ? Number(value * 1000) + " ms" : Number(value) + " s",
            "Cel" => Number(value) + " °C",
            _ => Number(value) + (string.IsNullOrEmpty(series.Unit) ? string.Empty : " " + series.Unit.Trim('{', '}')),
        };
        return series.Kind == MetricKind.Counter ? text + "/s" : text;
    }

    /// <summary>"4h", "45m", "2d3h": two units at most.</summary>
    public static string Duration(long ms)
    {
        var span = TimeSpan.FromMilliseconds(Math.Max(0, Math.Min(ms, (long)TimeSpan.FromDays(36_500).TotalMilliseconds)));
        return span switch
        {
            { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalSeconds}s"),
            { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m"),
            { TotalDays: < 1 } => span.Minutes == 0 || span.TotalHours >= 10
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Round(span.TotalHours)}h")
                : string.Create(CultureInfo.InvariantCulture, $"{span.Hours}h{span.Minutes}m"),
            _ => span.Hours == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}d")
                : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}d{span.Hours}h"),
        };
    }

    private static string Percent(double ratio) => Number(ratio * 100) + "%";

    private static string Bytes(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        int u = 0;
        double v = bytes;
        while (Math.Abs(v) >= 1024 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }

        return Number(v) + " " + units[u];
    }

    private static string Number(double value)
    {
        double abs = Math.Abs(value);
        string format = abs >= 100 || abs == Math.Round(abs) ? "0" : abs >= 10 ? "0.#" : "0.##";
        return value.ToString(abs >= 1e7 ? "G4" : format, CultureInfo.InvariantCulture);
    }
}
