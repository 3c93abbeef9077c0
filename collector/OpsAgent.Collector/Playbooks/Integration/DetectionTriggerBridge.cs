using OpsAgent.Collector.Detection;
using OpsAgent.Collector.Notifications;
using OpsAgent.Collector.Playbooks.Engine;

namespace OpsAgent.Collector.Playbooks.Integration;

/// <summary>
/// Subscribes to detection's events (published after they are stored) and turns them into the playbook engine's
/// triggers and recoveries (<see cref="TriggerMapper"/>), and into the incident opened and resolved notifications.
/// Escalations and approval requests are notified by <see cref="PlaybookNotificationHandler"/>, so nothing is sent twice.
/// </summary>
/// <remarks>
/// Its queue holds <see cref="QueueCapacity"/> events; if the engine falls that far behind, events are lost and counted
/// (a gap, logged): a missed trigger leaves its incident to people, a missed recovery lets the run reach its deadline.
/// Events are not replayed after a restart: an incident open at start-up is not triggered again (it may have been skipped
/// by a guard on purpose); runs in progress resume from the engine's saved state.
/// </remarks>
internal sealed partial class DetectionTriggerBridge(
    DetectionEventHub hub,
    PlaybookInbox inbox,
    IEnumerable<INotificationPublisher> publishers,
    ILogger<DetectionTriggerBridge> logger) : BackgroundService
{
    public const int QueueCapacity = 4096;

    /// <summary>Incidents notified as opened and not yet resolved: their labels, so that the resolved notification matches.</summary>
    private const int MaxRemembered = 10_000;

    private readonly INotificationPublisher[] _publishers = [.. publishers];
    private readonly Dictionary<long, NotificationEvent> _opened = [];
    private DetectionSubscription? _subscription;
    private long _lostReported;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribed before anything can be detected (the listeners open after the hosted services have started).
        _subscription = hub.Subscribe(QueueCapacity);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _subscription?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DetectionSubscription subscription = _subscription!;
        try
        {
            await foreach (DetectionEvent e in subscription.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                if (subscription.Dropped > _lostReported)
                {
                    LogEventsLost(logger, subscription.Dropped - _lostReported, QueueCapacity);
                    _lostReported = subscription.Dropped;
                }

                Notify(e);
                if (TriggerMapper.Map(e) is { } input)
                {
                    await inbox.PostAsync(input, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void Notify(DetectionEvent e)
    {
        if (_publishers.Length == 0 || e.Incident is not { } incident)
        {
            return;
        }

        NotificationEvent? notification = null;
        if (e.Kind == DetectionEventKind.IncidentOpened && e.Anomaly is { } first)
        {
            notification = new NotificationEvent(
                NotificationEventKind.IncidentOpened,
                TriggerMapper.Id(incident),
                incident.AgentId,
                incident.Hostname,
                SeverityName(incident.Severity),
                incident.Title,
                $"Incident {incident.IncidentId} opened on {incident.Hostname}: {first.Summary}. Playbooks that match it act now; see `opsctl incidents show {incident.IncidentId}`.",
                DateTimeOffset.FromUnixTimeMilliseconds(incident.OpenedUnixMs),
                null,
                TriggerMapper.Labels(first),
                first.Series.Name);
            if (_opened.Count < MaxRemembered)
            {
                _opened[incident.IncidentId] = notification;
            }
        }
        else if (e.Kind == DetectionEventKind.IncidentResolved)
        {
            string how = incident.ResolvedBy.Length > 0 ? $"resolved by {incident.ResolvedBy}" : $"resolved ({incident.Resolution.ToString().ToLowerInvariant()})";
            string note = incident.Note.Length > 0 ? " " + incident.Note : "";
            string description = $"Incident {incident.IncidentId} on {incident.Hostname} {how}.{note}";
            DateTimeOffset resolved = DateTimeOffset.FromUnixTimeMilliseconds(incident.ResolvedUnixMs);
            notification = _opened.Remove(incident.IncidentId, out NotificationEvent? opened)
                ? opened with { Kind = NotificationEventKind.IncidentResolved, Description = description, EndsAt = resolved }
                : new NotificationEvent(
                    NotificationEventKind.IncidentResolved, TriggerMapper.Id(incident), incident.AgentId, incident.Hostname, SeverityName(incident.Severity),
                    incident.Title, description, DateTimeOffset.FromUnixTimeMilliseconds(incident.OpenedUnixMs), resolved,
                    new Dictionary<string, string>(incident.HostLabels, StringComparer.Ordinal), incident.Metrics.FirstOrDefault());
        }

        if (notification is not null)
        {
            foreach (INotificationPublisher publisher in _publishers)
            {
                publisher.Publish(notification);
            }
        }
    }

    private static string SeverityName(AlertSeverity severity) =>
        SeverityScale.Name(severity == AlertSeverity.Critical ? TriggerSeverity.Critical : TriggerSeverity.Warning);

    [LoggerMessage(EventId = 6150, Level = LogLevel.Warning,
        Message = "Playbooks lost {Count} detection events: their queue ({Capacity}) was full. Their incidents are left to people; runs waiting for a recovery move on at their deadlines.")]
    private static partial void LogEventsLost(ILogger logger, long count, int capacity);
}
