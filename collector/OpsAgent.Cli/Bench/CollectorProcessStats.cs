using System.Globalization;

namespace OpsAgent.Cli.Bench;

/// <summary>The collector process's resident memory and CPU time, read from its /metrics endpoint.</summary>
internal sealed record CollectorProcessStats(double ResidentBytes, double CpuSeconds)
{
    /// <summary>Reads the figures; null when /metrics cannot be read (another host's firewall, TLS, a collector without them).</summary>
    public static async Task<CollectorProcessStats?> ReadAsync(HttpClient http, Uri metrics, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await http.GetStringAsync(new Uri(metrics, "/metrics"), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        double? rss = null;
        double? cpu = null;
        foreach (string line in text.Split('\n'))
        {
            rss ??= Value(line, "process_resident_memory_bytes ");
            cpu ??= Value(line, "process_cpu_seconds_total ");
        }

        return rss is { } r && cpu is { } c ? new CollectorProcessStats(r, c) : null;
    }

    private static double? Value(string line, string prefix) =>
        line.StartsWith(prefix, StringComparison.Ordinal) &&
        double.TryParse(line.AsSpan(prefix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : null;
}
