using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Access;

/// <summary>
/// The audit log in the collector's database (table <c>audit_log</c>). Entries go through a bounded queue to one
/// writer that inserts them in batches. Calls made with a valid API token wait for room in the queue
/// (<see cref="RecordAsync"/>): what an authenticated admin did is never dropped. Entries an unauthenticated peer can
/// cause at will (refused tokens, refused agents) are offered without waiting (<see cref="TryRecord"/>) and, when the
/// queue is full, dropped and counted, so that a flood cannot stall the collector through its own audit log.
/// </summary>
internal sealed partial class AuditLog : IHostedService, IAsyncDisposable
{
    private const int QueueCapacity = 4096;
    private const int MaxBatch = 256;
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private readonly SqliteDatabase _database;
    private readonly SecurityMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly AccessOptions _options;
    private readonly ILogger<AuditLog> _logger;
    private readonly Channel<AuditEntry> _queue = Channel.CreateBounded<AuditEntry>(new BoundedChannelOptions(QueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private Task? _writer;
    private ITimer? _pruneTimer;
    private long _lastDropWarning;

    public AuditLog(SqliteDatabase database, SecurityMetrics metrics, TimeProvider time, IOptions<AccessOptions> options, ILogger<AuditLog> logger)
    {
        _database = database;
        _metrics = metrics;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Queues an entry, waiting for room: for what authenticated callers do.</summary>
    public ValueTask RecordAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(entry.Bounded(), cancellationToken);

    /// <summary>Queues an entry if there is room, else drops and counts it: for what unauthenticated peers cause.</summary>
    public void TryRecord(AuditEntry entry)
    {
        if (_queue.Writer.TryWrite(entry.Bounded()))
        {
            return;
        }

        _metrics.AuditDropped();
        long now = _time.GetTimestamp();
        long last = Interlocked.Read(ref _lastDropWarning);
        if (last == 0 || _time.GetElapsedTime(last, now) > TimeSpan.FromMinutes(1))
        {
            Interlocked.Exchange(ref _lastDropWarning, now);
            LogDropped(_logger, QueueCapacity);
        }
    }

    /// <summary>Entries newer than <paramref name="sinceUnixMs"/>, newest first; one more than the limit tells truncation.</summary>
    public (IReadOnlyList<AuditEvent> Events, bool Truncated) List(long sinceUnixMs, int limit)
    {
        using SqliteConnection connection = _database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, time_unix_ms, actor_kind, actor_id, actor_name, role, method, outcome, detail, peer
            FROM audit_log WHERE time_unix_ms >= $since ORDER BY id DESC LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$since", sinceUnixMs);
        command.Parameters.AddWithValue("$limit", limit + 1);
        using SqliteDataReader reader = command.ExecuteReader();
        var events = new List<AuditEvent>();
        while (reader.Read())
        {
            var entry = new AuditEntry(
                reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.GetString(7), reader.GetString(8), reader.GetString(9));
            events.Add(entry.ToEvent(reader.GetInt64(0)));
        }

        bool truncated = events.Count > limit;
        if (truncated)
        {
            events.RemoveAt(events.Count - 1);
        }

        return (events, truncated);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        _pruneTimer = _time.CreateTimer(_ => Prune(), null, TimeSpan.FromMinutes(1), PruneInterval);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_pruneTimer is not null)
        {
            await _pruneTimer.DisposeAsync().ConfigureAwait(false);
            _pruneTimer = null;
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<AuditEntry>(MaxBatch);
        ChannelReader<AuditEntry> reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out AuditEntry? entry))
            {
                batch.Add(entry);
            }

            try
            {
                Insert(batch);
                _metrics.AuditWritten(batch.Count);
            }
            catch (Exception ex) when (ex is SqliteException or InvalidOperationException or StorageUnavailableException)
            {
                _metrics.AuditDropped(batch.Count);
                LogWriteFailed(_logger, ex, batch.Count, _database.FilePath);
            }
        }
    }

    private void Insert(List<AuditEntry> batch)
    {
        using SqliteConnection connection = _database.OpenConnection();
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO audit_log (time_unix_ms, actor_kind, actor_id, actor_name, role, method, outcome, detail, peer)
            VALUES ($t, $kind, $id, $name, $role, $method, $outcome, $detail, $peer);
            """;
        SqliteParameter t = command.Parameters.Add("$t", SqliteType.Integer);
        SqliteParameter kind = command.Parameters.Add("$kind", SqliteType.Text);
        SqliteParameter id = command.Parameters.Add("$id", SqliteType.Text);
        SqliteParameter name = command.Parameters.Add("$name", SqliteType.Text);
        SqliteParameter role = command.Parameters.Add("$role", SqliteType.Text);
        SqliteParameter method = command.Parameters.Add("$method", SqliteType.Text);
        SqliteParameter outcome = command.Parameters.Add("$outcome", SqliteType.Text);
        SqliteParameter detail = command.Parameters.Add("$detail", SqliteType.Text);
        SqliteParameter peer = command.Parameters.Add("$peer", SqliteType.Text);
        foreach (AuditEntry entry in batch)
        {
            t.Value = entry.TimeUnixMs;
            kind.Value = entry.ActorKind;
            id.Value = entry.ActorId;
            name.Value = entry.ActorName;
            role.Value = entry.Role;
            method.Value = entry.Method;
            outcome.Value = entry.Outcome;
            detail.Value = entry.Detail;
            peer.Value = entry.Peer;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private void Prune()
    {
        try
        {
            long cutoff = (_time.GetUtcNow() - _options.AuditRetention).ToUnixTimeMilliseconds();
            using SqliteConnection connection = _database.OpenConnection();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "DELETE FROM audit_log WHERE time_unix_ms < $cutoff;";
            command.Parameters.AddWithValue("$cutoff", cutoff);
            command.ExecuteNonQuery();
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or StorageUnavailableException)
        {
            LogPruneFailed(_logger, ex);
        }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning,
        Message = "The audit queue is full ({Capacity} entries): entries about unauthenticated calls are being dropped (counted in opsagent_collector_audit_dropped_total). Something is flooding the collector with refused calls; see the audit log for the peers.")]
    private static partial void LogDropped(ILogger logger, int capacity);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Error, Message = "Could not write {Count} audit entries to {Path}; they are lost. Check the disk and the database.")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count, string path);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Could not prune old audit entries; it is tried again in an hour.")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
