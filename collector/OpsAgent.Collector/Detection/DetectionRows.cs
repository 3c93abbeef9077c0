using Microsoft.Data.Sqlite;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Detection;

/// <summary>How anomalies and incidents map to and from their rows (one place for the column lists).</summary>
internal static class DetectionRows
{
    public const string AnomalyColumns =
        "anomaly_id, incident_id, series_id, agent_id, hostname, metric, labels, metric_kind, unit, host_labels, kind, severity, state, " +
        "started_unix_ms, raised_unix_ms, last_anomalous_unix_ms, updated_unix_ms, resolved_unix_ms, resolution, peak_score, value, " +
        "usual_low, usual_high, forecast_level, forecast_rate_per_hour, forecast_tte_ms, forecast_earliest_ms, forecast_latest_ms, " +
        "forecast_confidence, forecast_as_of_unix_ms";

    public const string IncidentColumns =
        "incident_id, agent_id, hostname, host_labels, severity, state, opened_unix_ms, updated_unix_ms, resolved_unix_ms, resolution, " +
        "title, anomaly_count, open_anomalies, metrics, resolved_by, note";

    public static AnomalyRecord ReadAnomaly(SqliteDataReader r)
    {
        var series = new SeriesIdentity(
            (ulong)r.GetInt64(2),
            r.GetString(3),
            r.GetString(4),
            r.GetString(5),
            Pairs(r.GetFieldValue<byte[]>(6)),
            (MetricKind)r.GetInt32(7),
            r.GetString(8),
            Map(r.GetFieldValue<byte[]>(9)));
        ForecastSnapshot? forecast = r.IsDBNull(25)
            ? null
            : new ForecastSnapshot(Real(r, 23), Real(r, 24), r.GetInt64(25), r.GetInt64(26), r.GetInt64(27), Real(r, 28), r.GetInt64(29));
        return new AnomalyRecord(
            r.GetInt64(0),
            r.GetInt64(1),
            (AnomalyKind)r.GetInt32(10),
            (AlertSeverity)r.GetInt32(11),
            r.GetInt32(12) == 0,
            series,
            r.GetInt64(13),
            r.GetInt64(14),
            r.GetInt64(15),
            r.GetInt64(16),
            r.GetInt64(17),
            (Resolution)r.GetInt32(18),
            r.GetDouble(19),
            Real(r, 20),
            Real(r, 21),
            Real(r, 22),
            forecast);
    }

    public static IncidentRecord ReadIncident(SqliteDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        r.GetString(2),
        Map(r.GetFieldValue<byte[]>(3)),
        (AlertSeverity)r.GetInt32(4),
        r.GetInt32(5) == 0,
        r.GetInt64(6),
        r.GetInt64(7),
        r.GetInt64(8),
        (Resolution)r.GetInt32(9),
        r.GetString(10),
        r.GetInt32(11),
        r.GetInt32(12),
        LabelCodec.Decode(r.GetFieldValue<byte[]>(13)),
        r.GetString(14),
        r.GetString(15));

    /// <summary>Binds every anomaly column except the id (named $c0.. in column order, from $c1).</summary>
    public static void BindAnomaly(SqliteCommand command, AnomalyRecord a)
    {
        SeriesIdentity s = a.Series;
        ForecastSnapshot? f = a.Forecast;
        object?[] values =
        [
            a.IncidentId, (long)s.SeriesId, s.AgentId, s.Hostname, s.Name, EncodePairs(s.Labels), (int)s.Kind, s.Unit,
            EncodeMap(s.HostLabels), (int)a.Kind, (int)a.Severity, a.Open ? 0 : 1, a.StartedUnixMs, a.RaisedUnixMs,
            a.LastAnomalousUnixMs, a.UpdatedUnixMs, a.ResolvedUnixMs, (int)a.Resolution, a.PeakScore, Nullable(a.Value),
            Nullable(a.UsualLow), Nullable(a.UsualHigh), f is null ? null : Nullable(f.Level), f is null ? null : Nullable(f.RatePerHour),
            f?.TimeToExhaustionMs, f?.EarliestMs, f?.LatestMs, f is null ? null : Nullable(f.Confidence), f?.AsOfUnixMs,
        ];
        for (int i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue($"$c{i + 1}", values[i] ?? DBNull.Value);
        }
    }

    /// <summary>Binds every incident column except the id, as $c1.. in column order.</summary>
    public static void BindIncident(SqliteCommand command, IncidentRecord i)
    {
        object[] values =
        [
            i.AgentId, i.Hostname, EncodeMap(i.HostLabels), (int)i.Severity, i.Open ? 0 : 1, i.OpenedUnixMs, i.UpdatedUnixMs,
            i.ResolvedUnixMs, (int)i.Resolution, i.Title, i.AnomalyCount, i.OpenAnomalies, LabelCodec.Encode([.. i.Metrics]), i.ResolvedBy, i.Note,
        ];
        for (int k = 0; k < values.Length; k++)
        {
            command.Parameters.AddWithValue($"$c{k + 1}", values[k]);
        }
    }

    /// <summary>"$c1, $c2, ..." for the columns after the id.</summary>
    public static string Placeholders(string columns) =>
        string.Join(", ", Enumerable.Range(1, columns.Split(',').Length - 1).Select(k => $"$c{k}"));

    /// <summary>"a = $c1, b = $c2, ..." for the columns after the id.</summary>
    public static string Assignments(string columns) =>
        string.Join(", ", columns.Split(',').Skip(1).Select((c, k) => $"{c.Trim()} = $c{k + 1}"));

    private static object? Nullable(double value) => double.IsFinite(value) ? value : null;

    private static double Real(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? double.NaN : r.GetDouble(ordinal);

    private static byte[] EncodePairs(IReadOnlyList<KeyValuePair<string, string>> pairs) =>
        LabelCodec.Encode([.. pairs.SelectMany(p => (string[])[p.Key, p.Value])]);

    private static byte[] EncodeMap(IReadOnlyDictionary<string, string> map) =>
        EncodePairs([.. map.OrderBy(p => p.Key, StringComparer.Ordinal)]);

    private static KeyValuePair<string, string>[] Pairs(byte[] blob)
    {
        string[] parts = LabelCodec.Decode(blob);
        var pairs = new KeyValuePair<string, string>[parts.Length / 2];
        for (int i = 0; i < pairs.Length; i++)
        {
            pairs[i] = KeyValuePair.Create(parts[2 * i], parts[(2 * i) + 1]);
        }

        return pairs;
    }

    private static Dictionary<string, string> Map(byte[] blob) => new(Pairs(blob), StringComparer.Ordinal);
}
