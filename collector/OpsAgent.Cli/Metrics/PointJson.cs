namespace OpsAgent.Cli.Metrics;

/// <summary>One point of a query answer; value is null where the collector sent NaN or an infinity.</summary>
/// <param name="Time">RFC 3339 UTC: the start of the step, or the sample time for raw queries.</param>
/// <param name="UnixMs">The same time in Unix milliseconds, for arithmetic in jq.</param>
/// <param name="Anomalous">True when the point (its step) overlaps an anomaly of the series (listed in the series' anomalies).</param>
internal sealed record PointJson(string Time, long UnixMs, double? Value, bool Anomalous);
