using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OpsAgent.Analysis.Alerting;

namespace OpsAgent.Collector.Detection;

/// <summary>
/// Turns the anomaly signals of every worker into stored anomalies and per-host incidents, and publishes each change.
/// One loop owns all of it (workers partition series, but an incident spans every series of a host): signals queue in a
/// bounded channel, and a full channel makes workers wait rather than lose an anomaly.
/// </summary>
/// <remarks>
/// <para>Grouping is <see cref="IncidentGrouper"/>'s: anomalies of one agent that overlap in time form one incident,
/// which closes when all have ended and none came back within <see cref="DetectionOptions.IncidentMergeGap"/>. One
/// <see cref="DetectionEventKind.IncidentOpened"/> is published per incident: the one notification.</para>
/// <para>Signals of a group are stored in one transaction, and events are published after it commits, so a subscriber
/// that then reads the store finds what the event describes. At start-up the open anomalies and incidents are loaded
/// and the groupers rebuilt, so a restart continues the same incidents.</para>
/// <para>An open anomaly that nobody reports on for <see cref="DetectionOptions.StaleAfter"/> (its series stopped
/// sending, or its worker lost the state) is resolved as <see cref="Resolution.NoData"/>.</para>
/// </remarks>
internal sealed partial class IncidentTracker : IAsyncDisposable
{
    private const int MaxGroup = 256;
    private const long RetentionIntervalMs = 3_600_000;
    private const int MaxNoteLength = 4000;

    private readonly Channel<TrackerMessage> _queue = Channel.CreateBounded<TrackerMessage>(new BoundedChannelOptions(4096)
    {
        SingleReader = true,
        SingleWriter = false,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly DetectionRepository _repository;
    private readonly DetectionEventHub _hub;
    private readonly DetectionMetrics _metrics;
    private readonly DetectionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<IncidentTracker> _logger;
    private readonly Dictionary<(ulong SeriesId, AnomalyKind Kind), (AnomalyRecord Anomaly, long HeardWallMs)> _open = [];
    private readonly Dictionary<string, HostIncidents> _hosts = new(StringComparer.Ordinal);
    private readonly List<(DetectionEventKind Kind, IncidentRecord? Incident, AnomalyRecord? Anomaly)> _pending = [];
    private Task? _loop;
    private long _lastRetentionMs;

    public IncidentTracker(
        DetectionRepository repository,
        DetectionEventHub hub,
        DetectionMetrics metrics,
        IOptions<DetectionOptions> options,
        TimeProvider time,
        ILogger<IncidentTracker> logger)
    {
        _repository = repository;
        _hub = hub;
        _metrics = metrics;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public void Start() => _loop ??= Task.Run(RunAsync);

    public ValueTask PostAsync(AnomalySignal signal, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(new SignalMessage(signal), cancellationToken);

    /// <summary>Asks for a tick; skipped when the queue is full (the next one will do).</summary>
    public void Tick(long nowUnixMs) => _queue.Writer.TryWrite(new TrackerTick(nowUnixMs));

    /// <summary>
    /// Resolves an open incident and its open anomalies now, as <see cref="Resolution.Manual"/>. Returns null when no
    /// open incident has that id. If its signals are still anomalous, their detectors report them again and a new
    /// incident opens: the problem is not gone because someone said so.
    /// </summary>
    public Task<IncidentRecord?> ResolveIncidentAsync(long incidentId, CancellationToken cancellationToken) =>
        ResolveIncidentAsync(incidentId, "", "", cancellationToken);

    /// <summary>
    /// As <see cref="ResolveIncidentAsync(long, CancellationToken)"/>, recording who resolved it and why
    /// (<see cref="IncidentRecord.ResolvedBy"/>, <see cref="IncidentRecord.Note"/>).
    /// </summary>
    public async Task<IncidentRecord?> ResolveIncidentAsync(long incidentId, string resolvedBy, string note, CancellationToken cancellationToken)
    {
        var request = new ResolveIncidentRequest(incidentId, Bounded(resolvedBy, 256), Bounded(note, MaxNoteLength));
        await _queue.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        return await request.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets the note of an incident, open or resolved, without changing anything else: what a playbook did about it.
    /// Returns the incident, or null when there is none with that id (retention deleted it).
    /// </summary>
    public async Task<IncidentRecord?> AnnotateIncidentAsync(long incidentId, string note, CancellationToken cancellationToken)
    {
        var request = new AnnotateIncidentRequest(incidentId, Bounded(note, MaxNoteLength));
        await _queue.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        return await request.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Handles what is queued, then stops.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _repository.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            Load();
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or InvalidDataException)
        {
            LogLoadFailed(_logger, ex);
        }

        var group = new List<TrackerMessage>(MaxGroup);
        ChannelReader<TrackerMessage> reader = _queue.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            group.Clear();
            while (group.Count < MaxGroup && reader.TryRead(out TrackerMessage? message))
            {
                group.Add(message);
            }

            HandleGroup(group);
        }
    }

    private void HandleGroup(List<TrackerMessage> group)
    {
        SqliteTransaction? transaction = null;
        var answers = new List<(TaskCompletionSource<IncidentRecord?> Completion, IncidentRecord? Result)>();
        try
        {
            transaction = _repository.Begin();
            foreach (TrackerMessage message in group)
            {
                switch (message)
                {
                    case SignalMessage s:
                        Handle(transaction, s.Signal);
                        break;
                    case TrackerTick t:
                        HandleTick(transaction, t.NowUnixMs);
                        break;
                    case ResolveIncidentRequest r:
                        answers.Add((r.Completion, ResolveManually(transaction, r.IncidentId, r.ResolvedBy, r.Note)));
                        break;
                    case AnnotateIncidentRequest n:
                        answers.Add((n.Completion, Annotate(transaction, n.IncidentId, n.Note)));
                        break;
                }
            }

            transaction.Commit();
        }
        catch (Exception ex)
        {
            // The in-memory state has moved on and is what detection believes; the store missed this group. Say so
            // and keep going: the next update of each anomaly writes its row again.
            LogStoreFailed(_logger, ex, group.Count);
            foreach (ResolveIncidentRequest request in group.OfType<ResolveIncidentRequest>())
            {
                request.Completion.TrySetException(ex);
            }

            foreach (AnnotateIncidentRequest request in group.OfType<AnnotateIncidentRequest>())
            {
                request.Completion.TrySetException(ex);
            }

            answers.Clear();
        }
        finally
        {
            transaction?.Dispose();
        }

        foreach ((DetectionEventKind kind, IncidentRecord? incident, AnomalyRecord? anomaly) in _pending)
        {
            _hub.Publish(kind, incident, anomaly);
        }

        _pending.Clear();
        _metrics.AnomaliesOpen(_open.Count);
        _metrics.IncidentsOpen(_hosts.Values.Count(h => h.Incident is not null));

        // Answered only now: a caller that then reads the store or its subscription finds what it asked for.
        foreach ((TaskCompletionSource<IncidentRecord?> completion, IncidentRecord? result) in answers)
        {
            completion.TrySetResult(result);
        }
    }

    private void Handle(SqliteTransaction tx, AnomalySignal signal)
    {
        AnomalyRecord a = signal.Anomaly;
        var key = (a.Series.SeriesId, a.Kind);
        long now = NowMs();
        bool known = _open.TryGetValue(key, out var open);
        switch (signal.Kind)
        {
            case AnomalySignalKind.Opened:
            case AnomalySignalKind.Updated when !known:
                if (known)
                {
                    Update(tx, key, open.Anomaly, a, now);
                }
                else
                {
                    Open(tx, key, a, now);
                }

                break;
            case AnomalySignalKind.Updated:
                Update(tx, key, open.Anomaly, a, now);
                break;
            case AnomalySignalKind.Resolved when known:
                Resolve(tx, key, open.Anomaly with
                {
                    Open = false,
                    Severity = (AlertSeverity)Math.Max((int)open.Anomaly.Severity, (int)a.Severity),
                    LastAnomalousUnixMs = Math.Max(open.Anomaly.LastAnomalousUnixMs, a.LastAnomalousUnixMs),
                    UpdatedUnixMs = a.UpdatedUnixMs,
                    ResolvedUnixMs = a.ResolvedUnixMs,
                    Resolution = a.Resolution,
                    PeakScore = Math.Max(open.Anomaly.PeakScore, a.PeakScore),
                    Forecast = a.Forecast ?? open.Anomaly.Forecast,
                });
                break;
            default:
                // Resolved but no longer open here: it was already resolved as stale or on request.
                break;
        }
    }

    private void Open(SqliteTransaction tx, (ulong, AnomalyKind) key, AnomalyRecord a, long now)
    {
        HostIncidents host = Host(a.Series.AgentId);
        string member = Member(key);
        DetectionEventKind incidentEvent = DetectionEventKind.IncidentUpdated;
        foreach (IncidentEvent e in host.Grouper.AnomalyRaised(member, a.RaisedUnixMs))
        {
            switch (e.Kind)
            {
                case IncidentEventKind.Closed:
                    CloseIncident(tx, host, e.TimestampMs, host.LastResolution, cause: null);
                    break;
                case IncidentEventKind.Opened:
                    var opened = new IncidentRecord(
                        0, a.Series.AgentId, a.Series.Hostname, a.Series.HostLabels, a.Severity, true, a.StartedUnixMs, a.RaisedUnixMs,
                        0, Resolution.None, AnomalyDescription.Title(a, 1), 0, 0, []);
                    host.Incident = opened with { IncidentId = _repository.InsertIncident(tx, opened) };
                    host.First = a;
                    incidentEvent = DetectionEventKind.IncidentOpened;
                    _metrics.IncidentOpened();
                    break;
            }
        }

        IncidentRecord incident = host.Incident ?? throw new InvalidOperationException("The grouper raised an anomaly without an open incident.");
        AnomalyRecord stored = a with { IncidentId = incident.IncidentId };
        stored = stored with { AnomalyId = _repository.InsertAnomaly(tx, stored) };
        _open[key] = (stored, now);
        _metrics.AnomalyOpened(a.Kind);
        host.First ??= stored;
        bool escalated = incidentEvent != DetectionEventKind.IncidentOpened && a.Severity > incident.Severity;
        incident = incident with
        {
            Severity = (AlertSeverity)Math.Max((int)incident.Severity, (int)a.Severity),
            UpdatedUnixMs = Math.Max(incident.UpdatedUnixMs, a.RaisedUnixMs),
            AnomalyCount = incident.AnomalyCount + 1,
            OpenAnomalies = incident.OpenAnomalies + 1,
            Metrics = incident.Metrics.Contains(a.Series.Name) ? incident.Metrics : [.. incident.Metrics, a.Series.Name],
            Title = AnomalyDescription.Title(host.First, incident.AnomalyCount + 1),
        };
        host.Incident = incident;
        _repository.UpdateIncident(tx, incident);
        LogAnomalyOpened(_logger, stored.AnomalyId, incident.IncidentId, stored.Severity, stored.Summary);
        _pending.Add((DetectionEventKind.AnomalyOpened, incident, stored));
        _pending.Add((escalated ? DetectionEventKind.IncidentEscalated : incidentEvent, incident, stored));
        if (incidentEvent == DetectionEventKind.IncidentOpened)
        {
            LogIncidentOpened(_logger, incident.IncidentId, incident.Hostname, incident.Severity, incident.Title);
        }
    }

    private void Update(SqliteTransaction tx, (ulong, AnomalyKind) key, AnomalyRecord old, AnomalyRecord a, long now)
    {
        AnomalyRecord updated = old with
        {
            Severity = (AlertSeverity)Math.Max((int)old.Severity, (int)a.Severity),
            LastAnomalousUnixMs = Math.Max(old.LastAnomalousUnixMs, a.LastAnomalousUnixMs),
            UpdatedUnixMs = Math.Max(old.UpdatedUnixMs, a.UpdatedUnixMs),
            PeakScore = Math.Max(old.PeakScore, a.PeakScore),
            Forecast = a.Forecast ?? old.Forecast,
            Series = a.Series,
        };
        _open[key] = (updated, now);
        _repository.UpdateAnomaly(tx, updated);
        HostIncidents host = Host(a.Series.AgentId);
        if (updated.Severity <= old.Severity || host.Incident is not { } incident)
        {
            return;
        }

        _pending.Add((DetectionEventKind.AnomalyEscalated, host.Incident, updated));
        if (updated.Severity > incident.Severity)
        {
            host.Incident = incident with { Severity = updated.Severity, UpdatedUnixMs = Math.Max(incident.UpdatedUnixMs, updated.UpdatedUnixMs) };
            _repository.UpdateIncident(tx, host.Incident);
            LogIncidentEscalated(_logger, incident.IncidentId, incident.Hostname, updated.Summary);
            _pending.Add((DetectionEventKind.IncidentEscalated, host.Incident, updated));
        }
    }

    private void Resolve(SqliteTransaction tx, (ulong, AnomalyKind) key, AnomalyRecord resolved)
    {
        _open.Remove(key);
        _repository.UpdateAnomaly(tx, resolved);
        LogAnomalyResolved(_logger, resolved.AnomalyId, resolved.Resolution, resolved.Summary);
        HostIncidents host = Host(resolved.Series.AgentId);
        host.LastResolution = resolved.Resolution;
        if (host.Incident is not { } incident || incident.IncidentId != resolved.IncidentId)
        {
            _pending.Add((DetectionEventKind.AnomalyResolved, null, resolved));
            return;
        }

        incident = incident with
        {
            OpenAnomalies = Math.Max(0, incident.OpenAnomalies - 1),
            UpdatedUnixMs = Math.Max(incident.UpdatedUnixMs, resolved.ResolvedUnixMs),
        };
        host.Incident = incident;
        _pending.Add((DetectionEventKind.AnomalyResolved, incident, resolved));
        if (host.Grouper.AnomalyCleared(Member(key), resolved.ResolvedUnixMs) is { } closed)
        {
            CloseIncident(tx, host, closed.TimestampMs, resolved.Resolution, resolved);
            return;
        }

        _repository.UpdateIncident(tx, incident);
        _pending.Add((DetectionEventKind.IncidentUpdated, incident, resolved));
    }

    private IncidentRecord? CloseIncident(SqliteTransaction tx, HostIncidents host, long atMs, Resolution resolution, AnomalyRecord? cause)
    {
        if (host.Incident is not { } incident)
        {
            return null;
        }

        IncidentRecord closed = incident with
        {
            Open = false,
            OpenAnomalies = 0,
            UpdatedUnixMs = Math.Max(incident.UpdatedUnixMs, atMs),
            ResolvedUnixMs = Math.Max(incident.OpenedUnixMs, atMs),
            Resolution = resolution,
        };
        _repository.UpdateIncident(tx, closed);
        host.Incident = null;
        host.First = null;
        LogIncidentResolved(_logger, closed.IncidentId, closed.Hostname, closed.Resolution, closed.Title);
        _pending.Add((DetectionEventKind.IncidentResolved, closed, cause));
        return closed;
    }

    private void HandleTick(SqliteTransaction tx, long now)
    {
        long staleMs = (long)_options.StaleAfter.TotalMilliseconds;
        foreach (var entry in _open.Where(e => now - e.Value.HeardWallMs >= staleMs).ToList())
        {
            AnomalyRecord a = entry.Value.Anomaly;
            Resolve(tx, entry.Key, a with
            {
                Open = false,
                UpdatedUnixMs = Math.Max(a.UpdatedUnixMs, now),
                ResolvedUnixMs = Math.Max(a.RaisedUnixMs, now),
                Resolution = Resolution.NoData,
            });
        }

        foreach (HostIncidents host in _hosts.Values)
        {
            if (host.Grouper.Advance(now) is { } closed)
            {
                CloseIncident(tx, host, closed.TimestampMs, host.LastResolution, cause: null);
            }
        }

        if (now - _lastRetentionMs >= RetentionIntervalMs)
        {
            _lastRetentionMs = now;
            int deleted = _repository.DeleteExpired(tx, now - (long)_options.Retention.TotalMilliseconds);
            if (deleted > 0)
            {
                LogExpired(_logger, deleted, _options.Retention);
            }
        }
    }

    private IncidentRecord? ResolveManually(SqliteTransaction tx, long incidentId, string resolvedBy, string note)
    {
        HostIncidents? host = _hosts.Values.FirstOrDefault(h => h.Incident?.IncidentId == incidentId);
        if (host is null)
        {
            return null;
        }

        host.Incident = host.Incident! with { ResolvedBy = resolvedBy, Note = note.Length > 0 ? note : host.Incident.Note };

        long now = NowMs();
        foreach (var entry in _open.Where(e => e.Value.Anomaly.IncidentId == incidentId).ToList())
        {
            AnomalyRecord a = entry.Value.Anomaly;
            AnomalyRecord resolved = a with
            {
                Open = false,
                UpdatedUnixMs = Math.Max(a.UpdatedUnixMs, now),
                ResolvedUnixMs = Math.Max(a.RaisedUnixMs, now),
                Resolution = Resolution.Manual,
            };
            _open.Remove(entry.Key);
            _repository.UpdateAnomaly(tx, resolved);
            _pending.Add((DetectionEventKind.AnomalyResolved, host.Incident, resolved));
        }

        IncidentRecord? closed = CloseIncident(tx, host, now, Resolution.Manual, cause: null);
        host.Reset();
        return closed;
    }

    private void Load()
    {
        long now = NowMs();
        List<AnomalyRecord> anomalies = _repository.LoadOpenAnomalies();
        var byIncident = anomalies.GroupBy(a => a.IncidentId).ToDictionary(g => g.Key, g => g.ToList());
        var regroup = new List<AnomalyRecord>(anomalies.Where(a => a.IncidentId == 0));
        using SqliteTransaction tx = _repository.Begin();
        foreach (IncidentRecord incident in _repository.LoadOpenIncidents())
        {
            HostIncidents host = Host(incident.AgentId);
            if (host.Incident is not null)
            {
                // Two open incidents for one host cannot both continue; the older one ends here.
                CloseIncident(tx, host, now, Resolution.NoData, cause: null);
                host.Reset();
            }

            List<AnomalyRecord> members = byIncident.GetValueOrDefault(incident.IncidentId) ?? [];
            if (members.Count == 0)
            {
                // Waiting for its merge gap: every anomaly ended at its last update.
                host.Grouper.AnomalyRaised("restored", incident.UpdatedUnixMs);
                host.Grouper.AnomalyCleared("restored", incident.UpdatedUnixMs);
            }

            foreach (AnomalyRecord member in members)
            {
                host.Grouper.AnomalyRaised(Member((member.Series.SeriesId, member.Kind)), member.StartedUnixMs);
                _open[(member.Series.SeriesId, member.Kind)] = (member, now);
            }

            host.Incident = incident;
            host.First = members.FirstOrDefault();
        }

        foreach (var (incidentId, members) in byIncident)
        {
            if (incidentId != 0 && !_hosts.Values.Any(h => h.Incident?.IncidentId == incidentId))
            {
                regroup.AddRange(members);
            }
        }

        foreach (AnomalyRecord orphan in regroup)
        {
            // Stored but not part of an open incident (a stop between two writes): it cannot continue where it was.
            // End it; if its series is still anomalous, its detector reports it again and it is grouped afresh.
            var key = (orphan.Series.SeriesId, orphan.Kind);
            _open.Remove(key);
            _repository.UpdateAnomaly(tx, orphan with { Open = false, ResolvedUnixMs = now, Resolution = Resolution.NoData });
        }

        tx.Commit();
        _pending.Clear();
        _lastRetentionMs = now - RetentionIntervalMs + 60_000;
        _metrics.AnomaliesOpen(_open.Count);
        _metrics.IncidentsOpen(_hosts.Values.Count(h => h.Incident is not null));
        LogLoaded(_logger, _open.Count, _hosts.Values.Count(h => h.Incident is not null));
    }

    private IncidentRecord? Annotate(SqliteTransaction tx, long incidentId, string note)
    {
        if (_hosts.Values.FirstOrDefault(h => h.Incident?.IncidentId == incidentId) is { Incident: { } open } host)
        {
            host.Incident = open with { Note = note };
            _repository.UpdateIncident(tx, host.Incident);
            return host.Incident;
        }

        return _repository.UpdateIncidentNote(tx, incidentId, note);
    }

    private static string Bounded(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 3), "...");

    private HostIncidents Host(string agentId)
    {
        if (!_hosts.TryGetValue(agentId, out HostIncidents? host))
        {
            host = new HostIncidents(_options.IncidentMergeGap);
            _hosts[agentId] = host;
        }

        return host;
    }

    private static string Member((ulong SeriesId, AnomalyKind Kind) key) => $"{key.SeriesId}/{(int)key.Kind}";

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Incident {IncidentId} opened on {Host} ({Severity}): {Title}")]
    private static partial void LogIncidentOpened(ILogger logger, long incidentId, string host, AlertSeverity severity, string title);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Incident {IncidentId} on {Host} is now critical: {Summary}")]
    private static partial void LogIncidentEscalated(ILogger logger, long incidentId, string host, string summary);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Incident {IncidentId} on {Host} resolved ({Resolution}): {Title}")]
    private static partial void LogIncidentResolved(ILogger logger, long incidentId, string host, Resolution resolution, string title);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Anomaly {AnomalyId} (incident {IncidentId}, {Severity}): {Summary}")]
    private static partial void LogAnomalyOpened(ILogger logger, long anomalyId, long incidentId, AlertSeverity severity, string summary);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Debug, Message = "Anomaly {AnomalyId} resolved ({Resolution}): {Summary}")]
    private static partial void LogAnomalyResolved(ILogger logger, long anomalyId, Resolution resolution, string summary);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Error, Message = "Could not store {Count} anomaly and incident changes; detection goes on and the next update of each anomaly writes it again. Check the database file and the disk")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Error, Message = "Could not load the open anomalies and incidents; they stay open in the store and new ones are tracked from now on. Check the database file")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Information, Message = "Detection continues {Anomalies} open anomalies in {Incidents} open incidents")]
    private static partial void LogLoaded(ILogger logger, int anomalies, int incidents);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Information, Message = "Deleted {Rows} anomalies, incidents and detector states older than the retention of {Retention}")]
    private static partial void LogExpired(ILogger logger, int rows, TimeSpan retention);
}
