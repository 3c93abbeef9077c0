using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace OpsAgent.Collector.Notifications;

/// <summary>
/// The notification pipeline: <see cref="Publish"/> renders a notification for each subscribed receiver and puts it
/// in that receiver's bounded queue (never waiting: when a queue is full its oldest notification is dropped and
/// counted); one worker per receiver delivers its queue in order with <see cref="NotificationSender"/>. A receiver
/// that is down therefore delays and drops only its own notifications.
/// </summary>
internal sealed partial class NotificationDispatcher : BackgroundService, INotificationPublisher
{
    public const string HttpClientName = "OpsAgent.Notifications";

    private readonly NotificationOptions _options;
    private readonly NotificationCounters _counters;
    private readonly ILogger<NotificationDispatcher> _logger;
    private readonly NotificationSender _sender;
    private readonly List<(NotificationReceiverOptions Receiver, Channel<NotificationDelivery> Queue)> _receivers = [];

    public NotificationDispatcher(
        IOptions<NotificationOptions> options,
        IHttpClientFactory httpClients,
        NotificationCounters counters,
        TimeProvider time,
        ILogger<NotificationDispatcher> logger)
    {
        _options = options.Value;
        _counters = counters;
        _logger = logger;
        var policy = new NotificationRetryPolicy(_options.InitialRetryDelay, _options.MaxRetryDelay, _options.MaxRetryAfter);
        _sender = new NotificationSender(httpClients.CreateClient(HttpClientName), policy, _options.MaxAttempts, counters, time, logger);
        foreach ((string name, NotificationReceiverOptions receiver) in _options.Receivers.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            receiver.Name = name;
            Channel<NotificationDelivery> queue = Channel.CreateBounded<NotificationDelivery>(
                new BoundedChannelOptions(_options.QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
                dropped =>
                {
                    counters.DroppedOne(name);
                    counters.DepthChanged(name, -1);
                    LogDropped(logger, AlertmanagerPayloadEvent(dropped), dropped.IncidentId, name, _options.QueueCapacity);
                });
            _receivers.Add((receiver, queue));
        }
    }

    public int Publish(NotificationEvent notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        int queued = 0;
        foreach ((NotificationReceiverOptions receiver, Channel<NotificationDelivery> queue) in _receivers)
        {
            if (!receiver.Wants(notification.Kind))
            {
                continue;
            }

            byte[] body = receiver.Format == NotificationFormat.Slack
                ? SlackPayload.Build(notification, _options.ExternalUrl)
                : AlertmanagerPayload.Build(notification, receiver.Name, _options.ExternalUrl);
            _counters.DepthChanged(receiver.Name, 1);
            if (queue.Writer.TryWrite(new NotificationDelivery(notification.Kind, notification.IncidentId, body)))
            {
                _counters.QueuedOne(receiver.Name);
                queued++;
            }
            else
            {
                _counters.DepthChanged(receiver.Name, -1); // only after shutdown: the queue is completed
            }
        }

        return queued;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_receivers.Select(r => RunReceiverAsync(r.Receiver, r.Queue.Reader, stoppingToken)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach ((_, Channel<NotificationDelivery> queue) in _receivers)
        {
            queue.Writer.TryComplete();
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        foreach ((NotificationReceiverOptions receiver, Channel<NotificationDelivery> queue) in _receivers)
        {
            if (queue.Reader.Count > 0)
            {
                LogUnsentAtStop(_logger, queue.Reader.Count, receiver.Name);
            }
        }
    }

    private async Task RunReceiverAsync(NotificationReceiverOptions receiver, ChannelReader<NotificationDelivery> queue, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (NotificationDelivery delivery in queue.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                _counters.DepthChanged(receiver.Name, -1);
                await _sender.DeliverAsync(receiver, delivery, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; what is still queued is reported by StopAsync.
        }
    }

    private static string AlertmanagerPayloadEvent(NotificationDelivery delivery) => AlertmanagerPayload.EventName(delivery.Kind);

    [LoggerMessage(EventId = 6110, Level = LogLevel.Warning, Message = "Dropped notification {Event} of incident {IncidentId} for {Receiver}: its queue is full ({Capacity}) because the receiver is slow or down.")]
    private static partial void LogDropped(ILogger logger, string @event, string incidentId, string receiver, int capacity);

    [LoggerMessage(EventId = 6111, Level = LogLevel.Warning, Message = "{Count} notification(s) for {Receiver} were still queued at shutdown and are not sent.")]
    private static partial void LogUnsentAtStop(ILogger logger, int count, string receiver);
}
