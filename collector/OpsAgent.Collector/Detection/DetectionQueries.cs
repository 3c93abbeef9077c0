using Microsoft.Data.Sqlite;
using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Detection;

/// <summary>Reads anomalies and incidents for the admin API; each call uses its own pooled connection.</summary>
internal sealed class DetectionQueries(SqliteDatabase database)
{
    /// <summary>Newest first; at most <c>Limit</c>, and whether more matched.</summary>
    public (List<AnomalyRecord> Anomalies, bool Truncated) ListAnomalies(AnomalyFilter filter)
    {
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        var where = new List<string> { "started_unix_ms <= $until", "(state = 0 OR resolved_unix_ms >= $since)" };
        command.Parameters.AddWithValue("$until", filter.UntilUnixMs);
        command.Parameters.AddWithValue("$since", filter.SinceUnixMs);
        if (filter.OpenOnly)
        {
            where.Add("state = 0");
        }

        if (filter.Host is { Length: > 0 } host)
        {
            where.Add("(hostname = $host COLLATE NOCASE OR agent_id = $host)");
            command.Parameters.AddWithValue("$host", host);
        }

        if (filter.MetricPrefix is { Length: > 0 } prefix)
        {
            // substr rather than LIKE: metric names contain '_', which LIKE treats as a wildcard.
            where.Add("substr(metric, 1, length($prefix)) = $prefix");
            command.Parameters.AddWithValue("$prefix", prefix);
        }

        if (filter.SeriesIds.Count > 0)
        {
            where.Add($"series_id IN ({string.Join(',', filter.SeriesIds.Select(id => ((long)id).ToString(System.Globalization.CultureInfo.InvariantCulture)))})");
        }

        command.CommandText = $"SELECT {DetectionRows.AnomalyColumns} FROM anomalies WHERE {string.Join(" AND ", where)} ORDER BY started_unix_ms DESC, anomaly_id DESC LIMIT $limit;";
        return ReadLimited(command, filter.Limit, DetectionRows.ReadAnomaly);
    }

    public (List<IncidentRecord> Incidents, bool Truncated) ListIncidents(IncidentFilter filter)
    {
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        var where = new List<string> { filter.OpenOnly ? "state = 0" : "(state = 0 OR resolved_unix_ms >= $since)" };
        command.Parameters.AddWithValue("$since", filter.SinceUnixMs);
        if (filter.Host is { Length: > 0 } host)
        {
            where.Add("(hostname = $host COLLATE NOCASE OR agent_id = $host)");
            command.Parameters.AddWithValue("$host", host);
        }

        command.CommandText = $"SELECT {DetectionRows.IncidentColumns} FROM incidents WHERE {string.Join(" AND ", where)} ORDER BY opened_unix_ms DESC, incident_id DESC LIMIT $limit;";
        return ReadLimited(command, filter.Limit, DetectionRows.ReadIncident);
    }

    /// <summary>The incident and its anomalies (oldest first), or null when no incident has that id.</summary>
    public (IncidentRecord Incident, List<AnomalyRecord> Anomalies)? GetIncident(long incidentId)
    {
        using SqliteConnection connection = database.OpenConnection();
        IncidentRecord? incident = null;
        using (SqliteCommand command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT {DetectionRows.IncidentColumns} FROM incidents WHERE incident_id = $id;";
            command.Parameters.AddWithValue("$id", incidentId);
            using SqliteDataReader reader = command.ExecuteReader();
            if (reader.Read())
            {
                incident = DetectionRows.ReadIncident(reader);
            }
        }

        if (incident is null)
        {
            return null;
        }

        var anomalies = new List<AnomalyRecord>();
        using (SqliteCommand command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT {DetectionRows.AnomalyColumns} FROM anomalies WHERE incident_id = $id ORDER BY started_unix_ms, anomaly_id;";
            command.Parameters.AddWithValue("$id", incidentId);
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                anomalies.Add(DetectionRows.ReadAnomaly(reader));
            }
        }

        return (incident, anomalies);
    }

    /// <summary>Reads at most <paramref name="limit"/> rows (asking for one more to know whether there were more).</summary>
    private static (List<T> Rows, bool Truncated) ReadLimited<T>(SqliteCommand command, int limit, Func<SqliteDataReader, T> read)
    {
        command.Parameters.AddWithValue("$limit", limit + 1);
        var rows = new List<T>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        bool truncated = rows.Count > limit;
        if (truncated)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return (rows, truncated);
    }
}
