using System.IO.Enumeration;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Detection;

/// <summary>
/// Decides which series deserve detection and how.
/// </summary>
/// <remarks>
/// <para>Every gauge is watched as it is, with the one default detector: a fault shows up in the series nobody
/// thought to watch, and the detector's cost is small and bounded (see <see cref="DetectionOptions.MaxSeries"/>).</para>
/// <para>A counter is cumulative: its raw value only ever grows, so every sample would be "higher than ever seen" and
/// its usual range meaningless. The detector watches its per-second rate instead (see <see cref="CounterRate"/>).</para>
/// <para>Left out by default, because an anomaly there is never news: <c>system.uptime</c> grows by design (a reboot
/// is seen in every other series), <c>*.limit</c> and <c>system.cpu.logical.count</c> are capacities that change only
/// when hardware or configuration does, and <c>system.cpu.time</c> is the counter behind
/// <c>system.cpu.utilization</c> (its rate is the same signal; watching both would report each CPU fault twice).</para>
/// <para>Utilizations of resources that run out (<c>system.filesystem.utilization</c>,
/// <c>system.filesystem.inodes.utilization</c>, <c>system.memory.utilization</c> in state <c>used</c>) also get an
/// exhaustion forecaster. Their byte and inode counts (<c>*.usage</c>) say the same as a fraction of a capacity
/// that is another series; the utilization twin that every agent sends next to them carries that fraction, so the
/// forecast needs no join across series (which the per-series workers could not do).</para>
/// </remarks>
internal sealed class SeriesClassifier
{
    /// <summary>Never watched, whatever the configuration says (the configuration's Exclude adds to these).</summary>
    public static readonly IReadOnlyList<string> BuiltInExclusions = ["system.uptime", "*.limit", "system.cpu.logical.count", "system.cpu.time"];

    private static readonly HashSet<string> ForecastNames = new(StringComparer.Ordinal)
    {
        "system.filesystem.utilization",
        "system.filesystem.inodes.utilization",
        "system.memory.utilization",
    };

    private readonly string[] _exclude;
    private readonly string[] _include;
    private readonly bool _forecast;

    public SeriesClassifier(DetectionOptions options)
    {
        _exclude = [.. BuiltInExclusions, .. options.Exclude.Where(g => !string.IsNullOrWhiteSpace(g))];
        _include = [.. options.Include.Where(g => !string.IsNullOrWhiteSpace(g))];
        _forecast = options.Forecast.Enabled;
    }

    public SeriesTreatment Classify(string name, MetricKind kind, string unit, Func<string, string?> label)
    {
        if (Matches(_exclude, name) || (_include.Length > 0 && !Matches(_include, name)))
        {
            return SeriesTreatment.None;
        }

        var treatment = SeriesTreatment.Detect;
        if (kind == MetricKind.Counter)
        {
            treatment |= SeriesTreatment.Rate;
        }
        else if (_forecast && unit == "1" && ForecastNames.Contains(name) && label("state") is null or "used")
        {
            treatment |= SeriesTreatment.Forecast;
        }

        return treatment;
    }

    private static bool Matches(string[] globs, string name)
    {
        foreach (string glob in globs)
        {
            if (FileSystemName.MatchesSimpleExpression(glob, name, ignoreCase: false))
            {
                return true;
            }
        }

        return false;
    }
}
