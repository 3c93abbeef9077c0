using Google.Protobuf;
using Microsoft.Data.Sqlite;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Commands;

/// <summary>
/// The <c>commands</c> table (<see cref="CommandSchema"/>). The dispatcher writes what it decides (new commands, sends,
/// approvals, expiry) on its own short transactions; <see cref="WriteResult"/> runs inside the store's batch transaction.
/// Updates from the dispatcher never touch a row whose result is stored, so a result that arrives while the dispatcher
/// changes the same command wins.
/// </summary>
internal sealed class CommandRepository(SqliteDatabase database)
{
    private const string Columns =
        "command_id, agent_id, hostname, state, action, issued_by, reason, dry_run, playbook, run_id, incident_id, command, signed, " +
        "created_unix_ms, updated_unix_ms, approval_deadline_unix_ms, decided_by, decision_comment, decided_unix_ms, first_sent_unix_ms, " +
        "last_sent_unix_ms, send_count, state_reason, result_status, result_reason, result_exit_code, result_output, result_truncated, " +
        "result_started_unix_ms, result_duration_ms, result_dry_run, result_received_unix_ms";

    private const string OpenStates = "(1, 2, 3)";

    /// <summary>Stores a new command; false when one with that id exists already (nothing is changed then).</summary>
    public bool Insert(CommandRecord record)
    {
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO commands (command_id, agent_id, hostname, state, action, issued_by, reason, dry_run, playbook, run_id, incident_id,
                command, signed, created_unix_ms, updated_unix_ms, approval_deadline_unix_ms, decided_by, decision_comment, decided_unix_ms,
                first_sent_unix_ms, last_sent_unix_ms, send_count, state_reason)
            VALUES ($id, $agent, $host, $state, $action, $issued_by, $reason, $dry_run, $playbook, $run_id, $incident_id,
                $command, $signed, $created, $updated, $deadline, $decided_by, $comment, $decided, $first_sent, $last_sent, $sends, $state_reason)
            ON CONFLICT (command_id) DO NOTHING;
            """;
        Bind(command, record);
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>Writes the dispatcher's part of a command; false when its result is stored (then the stored row is the truth).</summary>
    public bool Update(CommandRecord record)
    {
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            UPDATE commands SET hostname = $host, state = $state, action = $action, issued_by = $issued_by, reason = $reason,
                dry_run = $dry_run, playbook = $playbook, run_id = $run_id, incident_id = $incident_id, command = $command, signed = $signed,
                updated_unix_ms = $updated, approval_deadline_unix_ms = $deadline, decided_by = $decided_by, decision_comment = $comment,
                decided_unix_ms = $decided, first_sent_unix_ms = $first_sent, last_sent_unix_ms = $last_sent, send_count = $sends,
                state_reason = $state_reason
            WHERE command_id = $id AND result_status IS NULL;
            """;
        Bind(command, record);
        return command.ExecuteNonQuery() == 1;
    }

    public CommandRecord? Get(string commandId)
    {
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM commands WHERE command_id = $id;";
        command.Parameters.AddWithValue("$id", commandId);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>Commands still waiting for approval, delivery or a result: the dispatcher's working set at start-up.</summary>
    public List<CommandRecord> LoadOpen()
    {
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM commands WHERE state IN {OpenStates} AND result_status IS NULL ORDER BY created_unix_ms;";
        return ReadAll(command);
    }

    /// <summary>Newest first; one more than the limit tells whether the list was cut.</summary>
    public (List<CommandRecord> Commands, bool Truncated) List(CommandFilter filter)
    {
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        var where = new List<string> { "created_unix_ms >= $since" };
        command.Parameters.AddWithValue("$since", filter.SinceUnixMs);
        if (filter.States.Count > 0)
        {
            where.Add($"state IN ({string.Join(", ", filter.States.Select(s => ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture)))})");
        }

        if (filter.Host is { Length: > 0 } host)
        {
            where.Add("(agent_id = $host OR hostname = $host)");
            command.Parameters.AddWithValue("$host", host);
        }

        if (filter.IncidentId is { Length: > 0 } incident)
        {
            where.Add("incident_id = $incident");
            command.Parameters.AddWithValue("$incident", incident);
        }

        command.CommandText = $"SELECT {Columns} FROM commands WHERE {string.Join(" AND ", where)} ORDER BY created_unix_ms DESC, command_id DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$limit", filter.Limit + 1);
        List<CommandRecord> found = ReadAll(command);
        bool truncated = found.Count > filter.Limit;
        if (truncated)
        {
            found.RemoveAt(found.Count - 1);
        }

        return (found, truncated);
    }

    /// <summary>Who a command is for and whether it was ever sent; null when this collector has no such command.</summary>
    public (string AgentId, bool Sent)? FindOwner(string commandId)
    {
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT agent_id, first_sent_unix_ms FROM commands WHERE command_id = $id;";
        command.Parameters.AddWithValue("$id", commandId);
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetInt64(1) > 0) : null;
    }

    /// <summary>
    /// Stores an agent's result inside the store's transaction, unless a result of that command is stored already (the
    /// agent repeats a result when it receives a command again). The agent id guards against a result for another
    /// agent's command. Returns true when it was stored now.
    /// </summary>
    public static bool WriteResult(BatchSinkContext context, CommandResult result, int maxOutputBytes)
    {
        (string output, bool cut) = Bound(result.Output, maxOutputBytes);
        using SqliteCommand command = context.Connection.CreateCommand();
        command.Transaction = context.Transaction;
        command.CommandText = """
            UPDATE commands SET state = $state, updated_unix_ms = $now, state_reason = '', result_status = $status, result_reason = $reason,
                result_exit_code = $exit, result_output = $output, result_truncated = $truncated, result_started_unix_ms = $started,
                result_duration_ms = $duration, result_dry_run = $dry_run, result_received_unix_ms = $now
            WHERE command_id = $id AND agent_id = $agent AND result_status IS NULL;
            """;
        command.Parameters.AddWithValue("$state", (int)CommandStates.FromResult(result.Status));
        command.Parameters.AddWithValue("$now", context.CommittedUnixMs);
        command.Parameters.AddWithValue("$status", (int)result.Status);
        command.Parameters.AddWithValue("$reason", Bound(result.Reason, MaxReasonBytes).Text);
        command.Parameters.AddWithValue("$exit", result.ExitCode);
        command.Parameters.AddWithValue("$output", output);
        command.Parameters.AddWithValue("$truncated", result.OutputTruncated || cut ? 1 : 0);
        command.Parameters.AddWithValue("$started", result.StartedUnixMs);
        command.Parameters.AddWithValue("$duration", result.DurationMs);
        command.Parameters.AddWithValue("$dry_run", result.DryRun ? 1 : 0);
        command.Parameters.AddWithValue("$id", result.CommandId);
        command.Parameters.AddWithValue("$agent", context.AgentId);
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>Deletes finished commands made before <paramref name="cutoffUnixMs"/>; returns how many.</summary>
    public int DeleteFinishedBefore(long cutoffUnixMs)
    {
        using SqliteConnection connection = database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM commands WHERE created_unix_ms < $cutoff AND (state NOT IN {OpenStates} OR result_status IS NOT NULL);";
        command.Parameters.AddWithValue("$cutoff", cutoffUnixMs);
        return command.ExecuteNonQuery();
    }

    /// <summary>A result's reason is at most this many bytes of UTF-8 once stored.</summary>
    public const int MaxReasonBytes = 4096;

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="maxBytes"/> bytes of UTF-8, on a character boundary.</summary>
    public static (string Text, bool Cut) Bound(string text, int maxBytes)
    {
        if (text.Length <= maxBytes / 3 || System.Text.Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return (text, false);
        }

        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80)
        {
            end--; // the first byte left out continues a character: cut before that character instead
        }

        return (System.Text.Encoding.UTF8.GetString(bytes, 0, end), true);
    }

    private static void Bind(SqliteCommand command, CommandRecord r)
    {
        command.Parameters.AddWithValue("$id", r.CommandId);
        command.Parameters.AddWithValue("$agent", r.AgentId);
        command.Parameters.AddWithValue("$host", r.Hostname);
        command.Parameters.AddWithValue("$state", (int)r.State);
        command.Parameters.AddWithValue("$action", r.Action);
        command.Parameters.AddWithValue("$issued_by", r.IssuedBy);
        command.Parameters.AddWithValue("$reason", r.Reason);
        command.Parameters.AddWithValue("$dry_run", r.DryRun ? 1 : 0);
        command.Parameters.AddWithValue("$playbook", (object?)r.Playbook ?? DBNull.Value);
        command.Parameters.AddWithValue("$run_id", (object?)r.RunId ?? DBNull.Value);
        command.Parameters.AddWithValue("$incident_id", (object?)r.IncidentId ?? DBNull.Value);
        command.Parameters.AddWithValue("$command", r.Command.ToByteArray());
        command.Parameters.AddWithValue("$signed", r.Signed is null ? DBNull.Value : r.Signed.ToByteArray());
        command.Parameters.AddWithValue("$created", r.CreatedUnixMs);
        command.Parameters.AddWithValue("$updated", r.UpdatedUnixMs);
        command.Parameters.AddWithValue("$deadline", r.ApprovalDeadlineUnixMs);
        command.Parameters.AddWithValue("$decided_by", (object?)r.DecidedBy ?? DBNull.Value);
        command.Parameters.AddWithValue("$comment", (object?)r.DecisionComment ?? DBNull.Value);
        command.Parameters.AddWithValue("$decided", r.DecidedUnixMs);
        command.Parameters.AddWithValue("$first_sent", r.FirstSentUnixMs);
        command.Parameters.AddWithValue("$last_sent", r.LastSentUnixMs);
        command.Parameters.AddWithValue("$sends", r.SendCount);
        command.Parameters.AddWithValue("$state_reason", r.StateReason);
    }

    private static List<CommandRecord> ReadAll(SqliteCommand command)
    {
        var found = new List<CommandRecord>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            found.Add(Read(reader));
        }

        return found;
    }

    private static CommandRecord Read(SqliteDataReader r)
    {
        CommandResultRecord? result = r.IsDBNull(23)
            ? null
            : new CommandResultRecord(
                (CommandStatus)r.GetInt32(23),
                r.GetString(24),
                r.GetInt32(25),
                r.GetString(26),
                r.GetInt32(27) != 0,
                r.GetInt64(28),
                r.GetInt64(29),
                r.GetInt32(30) != 0,
                r.GetInt64(31));
        return new CommandRecord(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2),
            (CommandState)r.GetInt32(3),
            r.GetString(4),
            r.GetString(5),
            r.GetString(6),
            r.GetInt32(7) != 0,
            Text(r, 8),
            Text(r, 9),
            Text(r, 10),
            Command.Parser.ParseFrom(r.GetFieldValue<byte[]>(11)),
            r.IsDBNull(12) ? null : SignedCommand.Parser.ParseFrom(r.GetFieldValue<byte[]>(12)),
            r.GetInt64(13),
            r.GetInt64(14),
            r.GetInt64(15),
            Text(r, 16),
            Text(r, 17),
            r.GetInt64(18),
            r.GetInt64(19),
            r.GetInt64(20),
            r.GetInt32(21),
            r.GetString(22),
            result);
    }

    private static string? Text(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
}
