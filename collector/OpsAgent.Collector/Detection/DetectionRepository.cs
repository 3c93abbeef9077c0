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

    public long InsertAnomaly(SqliteTransaction transaction, AnomalyRecord anomaly) =>
        Insert(transaction, "anomalies", DetectionRows.AnomalyColumns, command => DetectionRows.BindAnomaly(command, anomaly));

    public void UpdateAnomaly(SqliteTransaction transaction, AnomalyRecord anomaly) =>
        Update(transaction, "anomalies", DetectionRows.AnomalyColumns, anomaly.AnomalyId, command => DetectionRows.BindAnomaly(command, anomaly));

    public long InsertIncident(SqliteTransaction transaction, IncidentRecord incident) =>
        Insert(transaction, "incidents", DetectionRows.IncidentColumns, command => DetectionRows.BindIncident(command, incident));

    public void UpdateIncident(SqliteTransaction transaction, IncidentRecord incident) =>
        Update(transaction, "incidents", DetectionRows.IncidentColumns, incident.IncidentId, command => DetectionRows.BindIncident(command, incident));

    /// <summary>Sets the note of a stored incident (one that is not open in the tracker); null when there is no such row.</summary>
    public IncidentRecord? UpdateIncidentNote(SqliteTransaction transaction, long incidentId, string note)
    {
        using SqliteCommand command = Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"UPDATE incidents SET note = $note WHERE incident_id = $id RETURNING {DetectionRows.IncidentColumns};";
        command.Parameters.AddWithValue("$note", note);
        command.Parameters.AddWithValue("$id", incidentId);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? DetectionRows.ReadIncident(reader) : null;
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

    /// <summary>Inserts a row of every column but the first (the id, which SQLite assigns) and returns the id.</summary>
    private long Insert(SqliteTransaction transaction, string table, string columns, Action<SqliteCommand> bind)
    {
        using SqliteCommand command = Connection.CreateCommand();
        command.Transaction = transaction;
        string id = columns[..columns.IndexOf(',', StringComparison.Ordinal)];
        string rest = columns[(id.Length + 1)..];
        command.CommandText = $"INSERT INTO {table} ({rest}) VALUES ({DetectionRows.Placeholders(columns)}) RETURNING {id};";
        bind(command);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Sets every column but the first of the row whose id (the first column) is <paramref name="id"/>.</summary>
    private void Update(SqliteTransaction transaction, string table, string columns, long id, Action<SqliteCommand> bind)
    {
        using SqliteCommand command = Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"UPDATE {table} SET {DetectionRows.Assignments(columns)} WHERE {columns[..columns.IndexOf(',', StringComparison.Ordinal)]} = $id;";
        bind(command);
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _connection = null;
    }
}
