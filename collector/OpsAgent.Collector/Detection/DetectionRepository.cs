using Microsoft.Data.Sqlite;
using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Detection;

/// <summary>
/// Writes anomalies and incidents (<c>anomalies</c>, <c>incidents</c>). Used by the incident tracker alone, on its own
/// connection, inside transactions it opens per group of signals.
/// </summary>
internal sealed class DetectionRepository : IDisposable
{
    private readonly SqliteDatabase _database;
    private SqliteConnection? _connection;

    public DetectionRepository(SqliteDatabase database)
    {
        _database = database;
    }

    private SqliteConnection Connection => _connection ??= _database.OpenConnection();

    public SqliteTransaction Begin() => Connection.BeginTransaction();

    public List<AnomalyRecord> LoadOpenAnomalies()
    {
        var result = new List<AnomalyRecord>();
        using SqliteCommand command = Connection.CreateCommand();
        command.CommandText = $"SELECT {DetectionRows.AnomalyColumns} FROM anomalies WHERE state = 0 ORDER BY anomaly_id;";
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(DetectionRows.ReadAnomaly(reader));
        }

        return result;
    }

    public List<IncidentRecord> LoadOpenIncidents()
    {
        var result = new List<IncidentRecord>();
        using SqliteCommand command = Connection.CreateCommand();
        command.CommandText = $"SELECT {DetectionRows.IncidentColumns} FROM incidents WHERE state = 0 ORDER BY incident_id;";
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(DetectionRows.ReadIncident(reader));
        }

        return result;
    }

    public long InsertAnomaly(SqliteTransaction transaction, AnomalyRecord anomaly)
    {
        using SqliteCommand command = Connection.CreateCommand();
        command.Transaction = transaction;
        string columns = DetectionRows.AnomalyColumns[(DetectionRows.AnomalyColumns.IndexOf(',', StringComparison.Ordinal) + 1)..];
        command.CommandText = $"INSERT INTO anomalies ({columns}) VALUES ({DetectionRows.Placeholders(DetectionRows.AnomalyColumns)}) RETURNING anomaly_id;";
        DetectionRows.BindAnomaly(command, anomaly);
        return (long)command.ExecuteScalar()!;
    }

    public void UpdateAnomaly(SqliteTransaction transaction, AnomalyRecord anomaly)
    {
        using SqliteCommand command = Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"UPDATE anomalies SET {DetectionRows.Assignments(DetectionRows.AnomalyColumns)} WHERE anomaly_id = $id;";
        DetectionRows.BindAnomaly(command, anomaly);
        command.Parameters.AddWithValue("$id", anomaly.AnomalyId);
        command.ExecuteNonQuery();
    }

    public long InsertIncident(SqliteTransaction transaction, IncidentRecord incident)
    {
        using SqliteCommand command = Connection.CreateCommand();
        command.Transaction = transaction;
        string columns = DetectionRows.IncidentColumns[(DetectionRows.IncidentColumns.IndexOf(',', StringComparison.Ordinal) + 1)..];
        command.CommandText = $"INSERT INTO incidents ({columns}) VALUES ({DetectionRows.Placeholders(DetectionRows.IncidentColumns)}) RETURNING incident_id;";
        DetectionRows.BindIncident(command, incident);
        return (long)command.ExecuteScalar()!;
    }

    public void UpdateIncident(SqliteTransaction transaction, IncidentRecord incident)
    {
        using SqliteCommand command = Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"UPDATE incidents SET {DetectionRows.Assignments(DetectionRows.IncidentColumns)} WHERE incident_id = $id;";
        DetectionRows.BindIncident(command, incident);
        command.Parameters.AddWithValue("$id", incident.IncidentId);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Deletes resolved anomalies and incidents that ended before <paramref name="cutoffUnixMs"/>, and saved detector
    /// states of series the store no longer has (forgotten by retention). Returns rows deleted.
    /// </summary>
    public int DeleteExpired(SqliteTransaction transaction, long cutoffUnixMs)
    {
        using SqliteCommand command = Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            DELETE FROM anomalies WHERE state = 1 AND resolved_unix_ms < $cutoff;
            DELETE FROM incidents WHERE state = 1 AND resolved_unix_ms < $cutoff;
            DELETE FROM detector_state WHERE series_id NOT IN (SELECT series_id FROM series);
            """;
        command.Parameters.AddWithValue("$cutoff", cutoffUnixMs);
        return command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _connection = null;
    }
}
