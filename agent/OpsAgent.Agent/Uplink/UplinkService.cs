using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using OpsAgent.Agent.Configuration;
using OpsAgent.Agent.Identity;
using OpsAgent.Agent.Outbox;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Uplink;

/// <summary>
/// Keeps one stream open to the collector: Hello, then batches from the outbox as fast as acknowledgements allow,
/// heartbeats when idle, and on any failure a reconnect with jittered exponential backoff. The agent only ever
/// dials out; it never listens on the network.
/// </summary>
internal sealed partial class UplinkService : BackgroundService
{
    private const uint DefaultMaxMessageBytes = 4 * 1024 * 1024;

    private readonly AgentOptions _options;
    private readonly AgentIdentity _identity;
    private readonly IOutbox _outbox;
    private readonly UplinkStatistics _statistics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<UplinkService> _logger;
    private readonly string _agentVersion = typeof(UplinkService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public UplinkService(
        IOptions<AgentOptions> options,
        AgentIdentity identity,
        IOutbox outbox,
        UplinkStatistics statistics,
        TimeProvider timeProvider,
        ILogger<UplinkService> logger)
    {
        _options = options.Value;
        _identity = identity;
        _outbox = outbox;
        _statistics = statistics;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        UplinkOptions uplink = _options.Uplink;
        var backoff = new ExponentialBackoff(uplink.ReconnectMinDelay, uplink.ReconnectMaxDelay, Random.Shared);
        using GrpcChannel channel = CreateChannel(_options.CollectorUrl!, uplink);
        var client = new AgentGateway.AgentGatewayClient(channel);

        while (!stoppingToken.IsCancellationRequested)
        {
            var session = new Session();
            string? failure = null;
            try
            {
                await RunSessionAsync(client, session, stoppingToken).ConfigureAwait(false);
                failure = "the collector closed the stream";
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RpcException ex)
            {
                failure = Describe(ex);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException or UplinkProtocolException)
            {
                failure = ex.Message;
            }
            finally
            {
                _statistics.OnDisconnected(failed: true);
            }

            if (session.Welcomed)
            {
                backoff.Reset();
            }

            TimeSpan delay = backoff.Next();
            OutboxStatistics queued = _outbox.GetStatistics();
            LogDisconnected(_logger, _options.CollectorUrl!, failure ?? "unknown", delay, queued.Batches, queued.Bytes);
            try
            {
                await Task.Delay(delay, _timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task RunSessionAsync(AgentGateway.AgentGatewayClient client, Session session, CancellationToken stoppingToken)
    {
        using var sessionCts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using AsyncDuplexStreamingCall<AgentMessage, CollectorMessage> call = client.Connect(cancellationToken: sessionCts.Token);
        using var writeLock = new SemaphoreSlim(1, 1);

        await call.RequestStream.WriteAsync(new AgentMessage { Hello = BuildHello() }, sessionCts.Token).ConfigureAwait(false);

        Welcome welcome = await ReadWelcomeAsync(call, sessionCts.Token).ConfigureAwait(false);
        session.Welcomed = true;
        _statistics.OnConnected();
        uint maxMessageBytes = welcome.Limits?.MaxMessageBytes is > 0 ? welcome.Limits.MaxMessageBytes : DefaultMaxMessageBytes;
        OutboxStatistics queued = _outbox.GetStatistics();
        LogConnected(_logger, _options.CollectorUrl!, welcome.AgentId, queued.Batches);

        using var inFlight = new InFlightWindow(_options.Uplink.MaxInFlightBatches);
        Task send = SendLoopAsync(call.RequestStream, writeLock, inFlight, maxMessageBytes, sessionCts.Token);
        Task receive = ReceiveLoopAsync(call.ResponseStream, inFlight, sessionCts.Token);
        Task heartbeat = HeartbeatLoopAsync(call.RequestStream, writeLock, sessionCts.Token);

        Task first = await Task.WhenAny(send, receive, heartbeat).ConfigureAwait(false);
        await sessionCts.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(send, receive, heartbeat).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested && !first.IsFaulted)
        {
            // The other loops were cancelled because the first one ended; the first one's outcome is what counts.
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && !first.IsFaulted)
        {
            // Same: cancelling the call surfaces as Cancelled in the loops still running.
        }

        await first.ConfigureAwait(false);
    }

    private async Task<Welcome> ReadWelcomeAsync(AsyncDuplexStreamingCall<AgentMessage, CollectorMessage> call, CancellationToken cancellationToken)
    {
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        handshake.CancelAfter(_options.Uplink.HandshakeTimeout);
        try
        {
            if (!await call.ResponseStream.MoveNext(handshake.Token).ConfigureAwait(false))
            {
                throw new UplinkProtocolException("the collector closed the stream before answering Hello");
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && !cancellationToken.IsCancellationRequested)
        {
            throw new UplinkProtocolException($"the collector did not answer Hello within {_options.Uplink.HandshakeTimeout}");
        }

        CollectorMessage first = call.ResponseStream.Current;
        return first.BodyCase == CollectorMessage.BodyOneofCase.Welcome
            ? first.Welcome
            : throw new UplinkProtocolException($"the collector answered Hello with {first.BodyCase} instead of Welcome");
    }

    private async Task SendLoopAsync(
        IClientStreamWriter<AgentMessage> stream,
        SemaphoreSlim writeLock,
        InFlightWindow inFlight,
        uint maxMessageBytes,
        CancellationToken cancellationToken)
    {
        IOutboxReader reader = _outbox.OpenReader();
        while (!cancellationToken.IsCancellationRequested)
        {
            await inFlight.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
            OutboxEntry entry = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (entry.SizeBytes + 16 > maxMessageBytes)
            {
                // Sending it would end the stream with ResourceExhausted on every retry: drop it, loudly, once.
                _statistics.OnOversizedDropped();
                LogOversized(_logger, entry.Sequence, entry.Lane, entry.SizeBytes, maxMessageBytes);
                _outbox.Acknowledge(entry.Sequence);
                inFlight.Release(entry.Sequence, wasTracked: false);
                continue;
            }

            inFlight.Track(entry.Sequence);
            await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await stream.WriteAsync(new AgentMessage { Batch = entry.Batch }, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                writeLock.Release();
            }

            _statistics.OnBatchSent();
        }
    }

    private async Task ReceiveLoopAsync(IAsyncStreamReader<CollectorMessage> stream, InFlightWindow inFlight, CancellationToken cancellationToken)
    {
        while (await stream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            CollectorMessage message = stream.Current;
            switch (message.BodyCase)
            {
                case CollectorMessage.BodyOneofCase.Ack:
                    foreach (BatchAck ack in message.Ack.Batches)
                    {
                        HandleAck(ack);
                        inFlight.Release(ack.Sequence, wasTracked: true);
                    }

                    break;
                case CollectorMessage.BodyOneofCase.Command:
                    LogCommandIgnored(_logger);
                    break;
                case CollectorMessage.BodyOneofCase.Config:
                    LogConfigIgnored(_logger, message.Config.Version);
                    break;
                default:
                    LogUnexpectedMessage(_logger, message.BodyCase.ToString());
                    break;
            }
        }
    }

    private void HandleAck(BatchAck ack)
    {
        _outbox.Acknowledge(ack.Sequence);
        if (ack.Status is BatchStatus.Rejected or BatchStatus.Partial)
        {
            bool whole = ack.Status == BatchStatus.Rejected;
            _statistics.OnRejected(whole, ack.RejectedItems);
            Rejection? first = ack.Rejections.Count > 0 ? ack.Rejections[0] : null;
            LogRejected(_logger, ack.Sequence, ack.Status.ToString(), ack.RejectedItems, ack.AcceptedItems,
                first?.Code ?? "unknown", first?.Item ?? "", first?.Message ?? "");
        }
    }

    private async Task HeartbeatLoopAsync(IClientStreamWriter<AgentMessage> stream, SemaphoreSlim writeLock, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Uplink.HeartbeatInterval, _timeProvider);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var heartbeat = new Heartbeat { SentUnixMs = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds() };
                await stream.WriteAsync(new AgentMessage { Heartbeat = heartbeat }, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                writeLock.Release();
            }
        }
    }

    private Hello BuildHello()
    {
        var hello = new Hello
        {
            AgentId = _identity.AgentId,
            Hostname = _identity.Hostname,
            AgentVersion = _agentVersion,
            Host = HostFactsProvider.Read(),
            OldestUnackedSequence = _outbox.OldestUnacknowledgedSequence,
        };
        hello.Labels.Add(_options.Labels);
        hello.Capabilities.Add("metrics");
        return hello;
    }

    private static GrpcChannel CreateChannel(string url, UplinkOptions uplink)
    {
        var handler = new SocketsHttpHandler
        {
            // Detect a dead collector or a silently dropped connection (NAT, firewall) without waiting for TCP.
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            EnableMultipleHttp2Connections = false,
        };
        return GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = 16 * 1024 * 1024,
            MaxSendMessageSize = 16 * 1024 * 1024,

            // The channel has its own connection backoff (1 s doubling to 120 s by default) and fails every call fast
            // while it waits, so after a long outage the agent would stay dark up to two minutes after the collector is
            // back, whatever Agent:Uplink says. Its bounds follow the uplink's.
            InitialReconnectBackoff = uplink.ReconnectMinDelay,
            MaxReconnectBackoff = uplink.ReconnectMaxDelay,
        });
    }

    private static string Describe(RpcException ex) => ex.StatusCode switch
    {
        StatusCode.Unavailable => $"collector unavailable ({ex.Status.Detail})",
        StatusCode.Unauthenticated => $"the collector refused this agent's identity ({ex.Status.Detail})",
        StatusCode.PermissionDenied => $"the collector denied access ({ex.Status.Detail})",
        _ => $"{ex.StatusCode}: {ex.Status.Detail}",
    };

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information,
        Message = "Connected to collector {Url} as agent {AgentId}; {Queued} batches waiting in the outbox will be sent now.")]
    private static partial void LogConnected(ILogger logger, string url, string agentId, int queued);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "Lost or could not open the stream to collector {Url}: {Reason}. Retrying in {Delay}. Unacknowledged data stays in the outbox ({Batches} batches, {Bytes} bytes).")]
    private static partial void LogDisconnected(ILogger logger, string url, string reason, TimeSpan delay, int batches, long bytes);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning,
        Message = "The collector {Status} batch {Sequence}: {Rejected} items rejected, {Accepted} accepted. First problem: [{Code}] {Item}: {Message}. The rejected items are dropped (sending them again cannot succeed); fix the source that produced them.")]
    private static partial void LogRejected(ILogger logger, ulong sequence, string status, uint rejected, uint accepted, string code, string item, string message);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error,
        Message = "Dropped batch {Sequence} of lane {Lane}: it is {Size} bytes and the collector accepts at most {Max} per message. The source that produced it must split its output.")]
    private static partial void LogOversized(ILogger logger, ulong sequence, OutboxLane lane, int size, uint max);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning,
        Message = "Received a command from the collector, but this agent version does not execute commands; it was not run.")]
    private static partial void LogCommandIgnored(ILogger logger);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information,
        Message = "Received configuration update {Version} from the collector; this agent version applies local configuration only.")]
    private static partial void LogConfigIgnored(ILogger logger, ulong version);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "Ignored an unexpected {Kind} message from the collector.")]
    private static partial void LogUnexpectedMessage(ILogger logger, string kind);

    private sealed class Session
    {
        public bool Welcomed { get; set; }
    }
}
