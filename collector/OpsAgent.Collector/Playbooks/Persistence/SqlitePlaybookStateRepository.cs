using System.Text.Json;
using Microsoft.Data.Sqlite;
using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Playbooks.Persistence;

/// <summary>
/// <see cref="IPlaybookStateRepository"/> on the collector's database (<see cref="SqliteDatabase"/>, tables of
/// <see cref="PlaybookSchema"/>). The engine saves once per event, a handful of rows, so each save is one short
/// transaction on its own connection.
/// </summary>
internal sealed class SqlitePlaybookStateRepository(SqliteDatabase database) : IPlaybookStateRepository
{
    public PlaybookStateSnapshot Load()
    {
        using SqliteConnection connection = database.OpenConnection();
        var runs = new List<PlaybookRun>();
        var unreadable = new List<UnreadableRun>();
        using (SqliteCommand command = connection.CreateCommand())
        {
            command.CommandText = "SELECT run_id, playbook, agent_id, incident_id, state, data FROM playbook_runs WHERE problem IS NULL;";
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (PlaybookRunCodec.TryDecode(reader.GetString(5), out PlaybookRun? run, out string problem))
                {
                    runs.Add(run!);
                }
                else
                {
                    unreadable.Add(new UnreadableRun(
                        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4) != (int)RunState.Ended, problem));
                }
            }
        }

        var lastEnded = new Dictionary<PlaybookTarget, DateTimeOffset>();
        using (SqliteCommand command = connection.CreateCommand())
        {
            command.CommandText = "SELECT playbook, agent_id, last_run_ended_unix_ms FROM playbook_cooldowns;";
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                lastEnded[new PlaybookTarget(reader.GetString(0), reader.GetString(1))] = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2));
            }
        }

        var breakers = new List<CircuitBreakerState>();
        using (SqliteCommand command = connection.CreateCommand())
        {
            command.CommandText = "SELECT playbook, agent_id, position, opened_unix_ms, failures FROM playbook_breakers;";
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                long[] failures = DecodeFailures(reader.GetString(4));
                var position = (BreakerPosition)reader.GetInt32(2);
                DateTimeOffset? opened = reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3));
                if (!Enum.IsDefined(position) || (position != BreakerPosition.Closed && opened is null))
                {
                    // A row that does not read back counts as a closed breaker, which is what no row means; the runs that
                    // opened it are still in the run history for an admin to see.
                    continue;
                }

                breakers.Add(new CircuitBreakerState(
                    new PlaybookTarget(reader.GetString(0), reader.GetString(1)),
                    position,
                    opened,
                    [.. failures.Select(DateTimeOffset.FromUnixTimeMilliseconds)]));
            }
        }

        return new PlaybookStateSnapshot(runs, unreadable, lastEnded, breakers);
    }

    public void Save(PlaybookStateChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.IsEmpty)
        {
            return;
        }

        using SqliteConnection connection = database.OpenConnection();
        using SqliteTransaction transaction = connection.BeginTransaction();
        foreach (PlaybookRun run in changes.Runs.Values)
        {
            Execute(connection, transaction, """
                INSERT INTO playbook_runs (run_id, playbook, agent_id, incident_id, state, started_unix_ms, ended_unix_ms, problem, data)
                VALUES ($id, $playbook, $agent, $incident, $state, $started, $ended, NULL, $data)
                ON CONFLICT (run_id) DO UPDATE SET state = excluded.state, ended_unix_ms = excluded.ended_unix_ms, data = excluded.data;
                """,
                ("$id", run.RunId), ("$playbook", run.PlaybookName), ("$agent", run.AgentId), ("$incident", run.IncidentId),
                ("$state", (int)run.State), ("$started", run.StartedAt.ToUnixTimeMilliseconds()),
                ("$ended", run.EndedAt?.ToUnixTimeMilliseconds()), ("$data", PlaybookRunCodec.Encode(run)));
        }

        foreach ((string runId, string problem) in changes.EndUnreadable)
        {
            Execute(connection, transaction, """
                UPDATE playbook_runs SET problem = $problem, state = $ended_state, ended_unix_ms = COALESCE(ended_unix_ms, started_unix_ms)
                WHERE run_id = $id;
                """,
                ("$id", runId), ("$problem", problem), ("$ended_state", (int)RunState.Ended));
        }

        foreach ((PlaybookTarget target, DateTimeOffset ended) in changes.LastRunEnded)
        {
            Execute(connection, transaction, """
                INSERT INTO playbook_cooldowns (playbook, agent_id, last_run_ended_unix_ms) VALUES ($playbook, $agent, $ended)
                ON CONFLICT (playbook, agent_id) DO UPDATE SET last_run_ended_unix_ms = excluded.last_run_ended_unix_ms;
                """,
                ("$playbook", target.Playbook), ("$agent", target.AgentId), ("$ended", ended.ToUnixTimeMilliseconds()));
        }

        foreach (CircuitBreakerState breaker in changes.Breakers.Values)
        {
            if (breaker.Position == BreakerPosition.Closed && breaker.Failures.Count == 0)
            {
                Execute(connection, transaction, "DELETE FROM playbook_breakers WHERE playbook = $playbook AND agent_id = $agent;",
                    ("$playbook", breaker.Target.Playbook), ("$agent", breaker.Target.AgentId));
                continue;
            }

            Execute(connection, transaction, """
                INSERT INTO playbook_breakers (playbook, agent_id, position, opened_unix_ms, failures) VALUES ($playbook, $agent, $position, $opened, $failures)
                ON CONFLICT (playbook, agent_id) DO UPDATE SET position = excluded.position, opened_unix_ms = excluded.opened_unix_ms, failures = excluded.failures;
                """,
                ("$playbook", breaker.Target.Playbook), ("$agent", breaker.Target.AgentId), ("$position", (int)breaker.Position),
                ("$opened", breaker.OpenedAt?.ToUnixTimeMilliseconds()),
                ("$failures", JsonSerializer.Serialize([.. breaker.Failures.Select(f => f.ToUnixTimeMilliseconds())], PlaybookJsonContext.Default.Int64Array)));
        }

        if (changes.PruneRunsBefore is { } runsCutoff)
        {
            Execute(connection, transaction, "DELETE FROM playbook_runs WHERE ended_unix_ms IS NOT NULL AND ended_unix_ms < $cutoff;",
                ("$cutoff", runsCutoff.ToUnixTimeMilliseconds()));
        }

        if (changes.PruneCooldownsBefore is { } cooldownCutoff)
        {
            Execute(connection, transaction, "DELETE FROM playbook_cooldowns WHERE last_run_ended_unix_ms < $cutoff;",
                ("$cutoff", cooldownCutoff.ToUnixTimeMilliseconds()));
        }

        transaction.Commit();
    }

    private static long[] DecodeFailures(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, PlaybookJsonContext.Default.Int64Array) ?? [];
        }
        catch (JsonException)
        {
            // Failure times only feed the breaker's count; a damaged list counts as none rather than stopping the engine.
            return [];
        }
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }
}
