using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Storage;

/// <summary>
/// <see cref="IAgentRepository"/> on the collector's database. Reads are served from memory. A Hello is written at
/// once (rare, and worth keeping); per-batch activity only updates memory and is written by <see cref="Flush"/>,
/// which the storage maintenance timer and shutdown call, so it never adds a write to the ingest path.
/// </summary>
internal sealed partial class SqliteAgentRepository : IAgentRepository
{
    private readonly SqliteDatabase _database;
    private readonly ILogger<SqliteAgentRepository> _logger;
    private readonly ConcurrentDictionary<string, AgentRecord> _agents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _dirty = new(StringComparer.Ordinal);
    private readonly Lock _loadLock = new();
    private volatile bool _loaded;

    public SqliteAgentRepository(SqliteDatabase database, ILogger<SqliteAgentRepository> logger)
    {
        _database = database;
        _logger = logger;
    }

    public AgentRecord Upsert(string agentId, Hello hello, string remoteAddress, long nowUnixMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        ArgumentNullException.ThrowIfNull(hello);
        EnsureLoaded();
        AgentRecord record = _agents.AddOrUpdate(
            agentId,
            id => new AgentRecord(
                id, hello.Hostname, hello.AgentVersion, Sorted(hello.Labels), hello.Host ?? new HostFacts(), [.. hello.Capabilities],
                remoteAddress, nowUnixMs, nowUnixMs, 0, 0, 0),
            (_, existing) => existing with
            {
                Hostname = hello.Hostname,
                AgentVersion = hello.AgentVersion,
                Labels = Sorted(hello.Labels),
                Host = hello.Host ?? new HostFacts(),
                Capabilities = [.. hello.Capabilities],
                RemoteAddress = remoteAddress,
                LastSeenUnixMs = Math.Max(existing.LastSeenUnixMs, nowUnixMs),
            });
        using SqliteConnection connection = _database.OpenConnection();
        Save(connection, null, record);
        return record;
    }

    public void RecordActivity(string agentId, long nowUnixMs, ulong sequence, long samples)
    {
        EnsureLoaded();
        while (_agents.TryGetValue(agentId, out AgentRecord? existing))
        {
            AgentRecord updated = existing with
            {
                LastSeenUnixMs = Math.Max(existing.LastSeenUnixMs, nowUnixMs),
                BatchesStored = existing.BatchesStored + 1,
                SamplesStored = existing.SamplesStored + (ulong)Math.Max(0, samples),
                LastSequence = Math.Max(existing.LastSequence, sequence),
            };
            if (_agents.TryUpdate(agentId, updated, existing))
            {
                _dirty[agentId] = true;
                return;
            }
        }
    }

    public AgentRecord? Find(string agentIdOrHostname)
    {
        EnsureLoaded();
        if (_agents.TryGetValue(agentIdOrHostname, out AgentRecord? byId))
        {
            return byId;
        }

        AgentRecord? found = null;
        foreach (AgentRecord record in _agents.Values)
        {
            if (string.Equals(record.Hostname, agentIdOrHostname, StringComparison.OrdinalIgnoreCase)
                && (found is null || record.LastSeenUnixMs > found.LastSeenUnixMs))
            {
                found = record; // a re-installed host has a new id; the most recently seen one is meant
            }
        }

        return found;
    }

    public IReadOnlyList<AgentRecord> List()
    {
        EnsureLoaded();
        return [.. _agents.Values.OrderBy(a => a.Hostname, StringComparer.Ordinal).ThenBy(a => a.AgentId, StringComparer.Ordinal)];
    }

    /// <summary>Writes activity recorded since the last flush.</summary>
    public void Flush()
    {
        if (!_loaded || _dirty.IsEmpty)
        {
            return;
        }

        using SqliteConnection connection = _database.OpenConnection();
        using SqliteTransaction transaction = connection.BeginTransaction();
        foreach (string agentId in _dirty.Keys)
        {
            if (_dirty.TryRemove(agentId, out _) && _agents.TryGetValue(agentId, out AgentRecord? record))
            {
                Save(connection, transaction, record);
            }
        }

        transaction.Commit();
    }

    private void EnsureLoaded()
    {
        if (_loaded)
        {
            return;
        }

        lock (_loadLock)
        {
            if (_loaded)
            {
                return;
            }

            using SqliteConnection connection = _database.OpenConnection();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = """
                SELECT agent_id, hostname, agent_version, labels, host_facts, capabilities, remote_address,
                       first_seen_unix_ms, last_seen_unix_ms, batches_stored, samples_stored, last_sequence FROM agents;
                """;
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                string id = reader.GetString(0);
                try
                {
                    string[] labels = LabelCodec.Decode((byte[])reader.GetValue(3));
                    var labelMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
                    for (int i = 0; i + 1 < labels.Length; i += 2)
                    {
                        labelMap[labels[i]] = labels[i + 1];
                    }

                    _agents[id] = new AgentRecord(
                        id,
                        reader.GetString(1),
                        reader.GetString(2),
                        labelMap,
                        HostFacts.Parser.ParseFrom((byte[])reader.GetValue(4)),
                        LabelCodec.Decode((byte[])reader.GetValue(5)),
                        reader.GetString(6),
                        reader.GetInt64(7),
                        reader.GetInt64(8),
                        unchecked((ulong)reader.GetInt64(9)),
                        unchecked((ulong)reader.GetInt64(10)),
                        unchecked((ulong)reader.GetInt64(11)));
                }
                catch (Exception ex) when (ex is Chunks.ChunkFormatException or InvalidProtocolBufferException)
                {
                    LogAgentSkipped(_logger, ex, id);
                }
            }

            _loaded = true;
        }
    }

    private static SortedDictionary<string, string> Sorted(IDictionary<string, string> labels) => new(labels, StringComparer.Ordinal);

    private static void Save(SqliteConnection connection, SqliteTransaction? transaction, AgentRecord record)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO agents (agent_id, hostname, agent_version, labels, host_facts, capabilities, remote_address,
                                first_seen_unix_ms, last_seen_unix_ms, batches_stored, samples_stored, last_sequence)
            VALUES ($id, $host, $version, $labels, $facts, $caps, $remote, $first, $last, $batches, $samples, $seq)
            ON CONFLICT (agent_id) DO UPDATE SET hostname = excluded.hostname, agent_version = excluded.agent_version,
                labels = excluded.labels, host_facts = excluded.host_facts, capabilities = excluded.capabilities,
                remote_address = excluded.remote_address, last_seen_unix_ms = excluded.last_seen_unix_ms,
                batches_stored = excluded.batches_stored, samples_stored = excluded.samples_stored,
                last_sequence = excluded.last_sequence;
            """;
        var labels = new List<string>(record.Labels.Count * 2);
        foreach (KeyValuePair<string, string> label in record.Labels)
        {
            labels.Add(label.Key);
            labels.Add(label.Value);
        }

        command.Parameters.AddWithValue("$id", record.AgentId);
        command.Parameters.AddWithValue("$host", record.Hostname);
        command.Parameters.AddWithValue("$version", record.AgentVersion);
        command.Parameters.AddWithValue("$labels", LabelCodec.Encode(labels));
        command.Parameters.AddWithValue("$facts", record.Host.ToByteArray());
        command.Parameters.AddWithValue("$caps", LabelCodec.Encode([.. record.Capabilities]));
        command.Parameters.AddWithValue("$remote", record.RemoteAddress);
        command.Parameters.AddWithValue("$first", record.FirstSeenUnixMs);
        command.Parameters.AddWithValue("$last", record.LastSeenUnixMs);
        command.Parameters.AddWithValue("$batches", unchecked((long)record.BatchesStored));
        command.Parameters.AddWithValue("$samples", unchecked((long)record.SamplesStored));
        command.Parameters.AddWithValue("$seq", unchecked((long)record.LastSequence));
        command.ExecuteNonQuery();
    }

    [LoggerMessage(EventId = 1030, Level = LogLevel.Error, Message = "Agent {AgentId} could not be loaded from the database (corrupt row); it is recreated at its next Hello")]
    private static partial void LogAgentSkipped(ILogger logger, Exception exception, string agentId);
}
