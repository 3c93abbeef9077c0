using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Access;
using OpsAgent.Collector.Commands;
using OpsAgent.Collector.Enrollment;
using OpsAgent.Collector.Ingest;
using OpsAgent.Collector.Observability;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Gateway;

/// <summary>
/// The agents' side of the collector. Each agent holds one <c>Connect</c> stream: Hello first, then batches that are
/// validated, stored durably and acknowledged only once committed. Up to
/// <see cref="IngestOptions.MaxPendingBatchesPerStream"/> batches per stream, and <see cref="IngestOptions.MaxPendingBytes"/>
/// across all streams (<see cref="IngestBudget"/>), wait for the store at once; beyond that the collector stops reading,
/// and HTTP/2 flow control slows the agents down instead of memory growing here.
/// Who the agent is comes from its client certificate (<see cref="AgentPrincipal"/>, set by the access interceptor);
/// only a collector in insecure mode, on loopback, takes the agent's word in Hello.
/// </summary>
internal sealed partial class AgentGatewayService(
    ITelemetryStore store,
    IAgentRepository agents,
    ConnectionRegistry registry,
    BatchValidator validator,
    IngestBudget budget,
    IOptions<IngestOptions> ingestOptions,
    CollectorMetrics metrics,
    TimeProvider timeProvider,
    ILogger<AgentGatewayService> logger,
    EnrollmentService enrollment,
    AgentCertificateStore certificates,
    AgentThrottle throttle,
    IOptions<StorageOptions> storageOptions,
    CommandDispatcher commands) : AgentGateway.AgentGatewayBase
{
    private readonly IngestOptions _ingest = ingestOptions.Value;
    private readonly int _maxSeriesPerAgent = storageOptions.Value.MaxSeriesPerAgent;

    public override Task<GetCaCertificateResponse> GetCaCertificate(GetCaCertificateRequest request, ServerCallContext context) =>
        Task.FromResult(enrollment.GetCaCertificate());

    public override Task<EnrollResponse> Enroll(EnrollRequest request, ServerCallContext context) =>
        Task.FromResult(enrollment.Enroll(request, context.Peer, CallAudit.Of(context)));

    public override Task<EnrollResponse> RenewCertificate(RenewCertificateRequest request, ServerCallContext context)
    {
        AgentPrincipal agent = AgentPrincipal.Of(context)
            ?? throw new RpcException(new Status(StatusCode.FailedPrecondition,
                "certificates are renewed over mutual TLS with the current certificate; this collector runs with Collector:Insecure=true and issues none"));
        return Task.FromResult(enrollment.Renew(request, agent, CallAudit.Of(context)));
    }

    public override async Task Connect(
        IAsyncStreamReader<AgentMessage> requestStream,
        IServerStreamWriter<CollectorMessage> responseStream,
        ServerCallContext context)
    {
        metrics.StreamOpened();
        try
        {
            Hello hello = await ReadHelloAsync(requestStream, context).ConfigureAwait(false);
            string agentId = IdentityOf(hello, context);
            long now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            using var connection = new AgentConnection(agentId, hello.Hostname, context.Peer, now, context.CancellationToken);
            registry.Register(connection);

            // A stream lives no longer than the certificate it was opened with; the agent reconnects with its renewed one.
            using ITimer? expiry = AgentPrincipal.Of(context) is { } principal
                ? timeProvider.CreateTimer(
                    _ => connection.Close(new Status(StatusCode.Unauthenticated, $"the client certificate of agent {agentId} expired; reconnect with the renewed one")),
                    null,
                    TimeSpan.FromMilliseconds(Math.Max(0, principal.CertificateExpiresUnixMs - now)),
                    Timeout.InfiniteTimeSpan)
                : null;
            try
            {
                await ServeAsync(connection, hello, requestStream, responseStream).ConfigureAwait(false);
            }
            finally
            {
                registry.Unregister(connection);
                LogDisconnected(logger, agentId, hello.Hostname, (connection.CloseReason ?? "stream ended").TrimEnd('.'));
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
        {
            metrics.StreamError("message_too_large");
            LogStreamRejected(logger, context.Peer, "message_too_large", ex.Status.Detail);
            throw;
        }
        finally
        {
            metrics.StreamClosed();
        }
    }

    private async Task ServeAsync(
        AgentConnection connection,
        Hello hello,
        IAsyncStreamReader<AgentMessage> requestStream,
        IServerStreamWriter<CollectorMessage> responseStream)
    {
        CancellationToken closed = connection.Closed;
        agents.Upsert(connection.AgentId, hello, connection.RemoteAddress, connection.ConnectedAtUnixMs);
        if (hello.OldestUnackedSequence > 1)
        {
            store.ForgetSequencesBelow(connection.AgentId, hello.OldestUnackedSequence);
        }

        LogConnected(logger, connection.AgentId, hello.Hostname, hello.AgentVersion, connection.RemoteAddress);
        Task writer = WriteLoopAsync(connection, responseStream, closed);
        await connection.SendAsync(new CollectorMessage { Welcome = BuildWelcome(connection.AgentId) }, closed).ConfigureAwait(false);
        commands.AgentConnected(connection); // after the Welcome: commands waiting for this agent go down now

        var pending = Channel.CreateBounded<PendingBatch>(new BoundedChannelOptions(_ingest.MaxPendingBatchesPerStream)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Task acker = AckLoopAsync(connection, pending.Reader, closed);
        try
        {
            await ReadLoopAsync(connection, requestStream, pending.Writer, closed).ConfigureAwait(false);
            pending.Writer.TryComplete();
            await acker.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            pending.Writer.TryComplete(ex);
            connection.Close(ex.Message);
            await ObserveAsync(acker).ConfigureAwait(false);
            if (acker.Exception?.InnerException is RpcException storeFailure)
            {
                // The read loop was only cancelled; the reason the stream ends is the store failure.
                throw storeFailure;
            }

            if (connection.CloseStatus is { } cutOff)
            {
                // Revoked, or its certificate expired: the agent is told why, not just that the stream ended.
                metrics.StreamError("cut_off");
                throw new RpcException(cutOff);
            }

            throw;
        }
        finally
        {
            // Batches read but never acknowledged (the stream ended first) give their bytes back.
            while (pending.Reader.TryRead(out PendingBatch? abandoned))
            {
                budget.Release(abandoned.Bytes);
            }

            connection.Outgoing.Writer.TryComplete();
            await ObserveAsync(writer).ConfigureAwait(false);
        }
    }

    private async Task ReadLoopAsync(
        AgentConnection connection,
        IAsyncStreamReader<AgentMessage> requestStream,
        ChannelWriter<PendingBatch> pending,
        CancellationToken cancellationToken)
    {
        // Every complete message pushes the idle deadline back; a peer that sends nothing, or trickles bytes that
        // never make a message, is cut off when it passes.
        using var idle = new CancellationTokenSource(_ingest.StreamIdleTimeout, timeProvider);
        using var readToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        while (true)
        {
            bool received;
            try
            {
                received = await requestStream.MoveNext(readToken.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                metrics.StreamError("idle_timeout");
                throw new RpcException(new Status(StatusCode.DeadlineExceeded,
                    $"no complete message from agent {connection.AgentId} for {_ingest.StreamIdleTimeout} (Collector:Ingest:StreamIdleTimeout); the stream is closed. Agents send a heartbeat well within it"));
            }

            if (!received)
            {
                break;
            }

            AgentMessage message = requestStream.Current;
            long now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            connection.Touch(now);
            int samples = message.BodyCase == AgentMessage.BodyOneofCase.Batch ? SampleCount(message.Batch) : 0;
            await throttle.ChargeAsync(connection.AgentId, samples, cancellationToken).ConfigureAwait(false);
            idle.CancelAfter(_ingest.StreamIdleTimeout);
            switch (message.BodyCase)
            {
                case AgentMessage.BodyOneofCase.Batch:
                    int bytes = message.Batch.CalculateSize();
                    await budget.AcquireAsync(bytes, cancellationToken).ConfigureAwait(false);
                    try
                    {
                        PendingBatch item = Accept(connection.AgentId, message.Batch, bytes, cancellationToken);
                        await pending.WriteAsync(item, cancellationToken).ConfigureAwait(false);
                    }
                    catch
                    {
                        budget.Release(bytes);
                        throw;
                    }

                    break;
                case AgentMessage.BodyOneofCase.Heartbeat:
                    metrics.Heartbeat();
                    break;
                case AgentMessage.BodyOneofCase.Hello:
                    metrics.StreamError("duplicate_hello");
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "Hello may be sent only once, as the first message of a stream"));
                default:
                    metrics.StreamError("unknown_message");
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "the message has no known body; is the agent newer than the collector?"));
            }
        }
    }

    private static int SampleCount(TelemetryBatch batch)
    {
        long samples = 0;
        foreach (MetricSeries series in batch.Metrics)
        {
            samples += Math.Max(series.TimestampsUnixMs.Count, series.Values.Count);
        }

        return (int)Math.Min(samples, int.MaxValue);
    }

    private PendingBatch Accept(string agentId, TelemetryBatch batch, int bytes, CancellationToken cancellationToken)
    {
        long received = timeProvider.GetTimestamp();
        ulong sequence = batch.Sequence;
        ValidationOutcome outcome = validator.Validate(batch, bytes);
        commands.ScreenResults(agentId, batch, outcome);
        foreach ((string code, int count) in outcome.CountsByCode)
        {
            metrics.RejectedItems(code, count);
        }

        if (outcome.RejectedWhole || (batch.Metrics.Count == 0 && batch.CommandResults.Count == 0))
        {
            return new PendingBatch(sequence, null, outcome, received, bytes, []);
        }

        Task<AppendResult> append = store.AppendAsync(agentId, batch, cancellationToken).AsTask();
        return new PendingBatch(sequence, append, outcome, received, bytes, [.. batch.CommandResults]);
    }

    private async Task AckLoopAsync(AgentConnection connection, ChannelReader<PendingBatch> pending, CancellationToken cancellationToken)
    {
        try
        {
            await AckPendingAsync(connection, pending, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            // Stop reading more batches from this stream at once; ServeAsync reports this as the stream's status.
            connection.Close(ex.Status.Detail);
            throw;
        }
    }

    private async Task AckPendingAsync(AgentConnection connection, ChannelReader<PendingBatch> pending, CancellationToken cancellationToken)
    {
        while (await pending.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var ack = new Ack();
            while (pending.TryPeek(out PendingBatch? next) && (ack.Batches.Count == 0 || next.Append is null || next.Append.IsCompleted))
            {
                pending.TryRead(out _);
                try
                {
                    ack.Batches.Add(await CompleteAsync(connection.AgentId, next, cancellationToken).ConfigureAwait(false));
                }
                finally
                {
                    budget.Release(next.Bytes);
                }
            }

            await connection.SendAsync(new CollectorMessage { Ack = ack }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<BatchAck> CompleteAsync(string agentId, PendingBatch item, CancellationToken cancellationToken)
    {
        ValidationOutcome outcome = item.Outcome;
        var ack = new BatchAck
        {
            Sequence = item.Sequence,
            AcceptedItems = (uint)outcome.AcceptedItems,
            RejectedItems = (uint)outcome.RejectedItems,
        };
        ack.Rejections.Add(outcome.Reported);

        if (item.Append is null)
        {
            ack.Status = outcome.AcceptedItems == 0 && outcome.RejectedItems > 0 ? BatchStatus.Rejected : BatchStatus.Stored;
            if (outcome.RejectedWhole)
            {
                ack.AcceptedItems = 0;
            }
        }
        else
        {
            AppendResult result;
            try
            {
                result = await item.Append.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Never acknowledge what was not stored: end the stream; the agent keeps the batch and sends it again.
                LogStoreFailed(logger, ex, agentId, item.Sequence);
                throw new RpcException(new Status(StatusCode.Unavailable, "the collector could not store the batch; it will be accepted again after a retry"));
            }

            if (result.Status == AppendStatus.Duplicate)
            {
                ack.Status = BatchStatus.Duplicate;
            }
            else
            {
                if (result.SeriesRejected > 0)
                {
                    outcome.Reject(RejectionCodes.SeriesLimit, result.FirstRejectedSeries ?? "",
                        $"agent {agentId} has the most series the collector keeps per agent (Collector:Storage:MaxSeriesPerAgent); {result.SeriesRejected} new series in this batch were dropped, existing series keep flowing. A label with unbounded values (ids, timestamps) is the usual cause",
                        result.SeriesRejected);
                    metrics.RejectedItems(RejectionCodes.SeriesLimit, result.SeriesRejected);
                    ack.AcceptedItems = (uint)Math.Max(0, outcome.AcceptedItems - result.SeriesRejected);
                    ack.RejectedItems = (uint)outcome.RejectedItems;
                    ack.Rejections.Clear();
                    ack.Rejections.Add(outcome.Reported);
                }

                ack.Status = outcome.RejectedItems == 0 ? BatchStatus.Stored : ack.AcceptedItems > 0 ? BatchStatus.Partial : BatchStatus.Rejected;
                metrics.SamplesStored(result.SamplesStored);
                agents.RecordActivity(agentId, timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), item.Sequence, result.SamplesStored);
                if (item.Results.Count > 0)
                {
                    // Committed with the batch: now the playbooks and whoever waits for these results learn of them.
                    await commands.ResultsStoredAsync(agentId, item.Results, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        metrics.Batch(ack.Status switch
        {
            BatchStatus.Stored => "stored",
            BatchStatus.Duplicate => "duplicate",
            BatchStatus.Partial => "partial",
            _ => "rejected",
        });
        metrics.AckLatency(timeProvider.GetElapsedTime(item.ReceivedTimestamp));
        if (ack.Status is BatchStatus.Rejected or BatchStatus.Partial && outcome.Reported.Count > 0)
        {
            Rejection first = outcome.Reported[0];
            LogBatchRejected(logger, agentId, item.Sequence, ack.Status.ToString(), outcome.RejectedItems, first.Code, first.Item, first.Message);
        }

        return ack;
    }

    private static async Task WriteLoopAsync(AgentConnection connection, IServerStreamWriter<CollectorMessage> responseStream, CancellationToken cancellationToken)
    {
        await foreach (CollectorMessage message in connection.Outgoing.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Hello> ReadHelloAsync(IAsyncStreamReader<AgentMessage> requestStream, ServerCallContext context)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        timeout.CancelAfter(_ingest.HelloTimeout);
        bool received;
        try
        {
            received = await requestStream.MoveNext(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            metrics.StreamError("hello_timeout");
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"no Hello within {_ingest.HelloTimeout}; the first message of a stream must be Hello"));
        }

        if (!received)
        {
            metrics.StreamError("no_hello");
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "the stream ended before Hello"));
        }

        AgentMessage first = requestStream.Current;
        if (first.BodyCase != AgentMessage.BodyOneofCase.Hello)
        {
            metrics.StreamError("no_hello");
            LogStreamRejected(logger, context.Peer, "no_hello", first.BodyCase.ToString());
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"the first message of a stream must be Hello, not {first.BodyCase}"));
        }

        string? problem = HelloValidator.Validate(first.Hello, _ingest);
        if (problem is not null)
        {
            metrics.StreamError("bad_hello");
            LogStreamRejected(logger, context.Peer, "bad_hello", problem);
            throw new RpcException(new Status(StatusCode.InvalidArgument, "invalid Hello: " + problem));
        }

        return first.Hello;
    }

    /// <summary>
    /// The agent's identity: its certificate's, and a Hello that claims another is refused (an agent may speak only as
    /// itself). In insecure mode the Hello's claim is all there is; a revoked id is refused there too.
    /// </summary>
    private string IdentityOf(Hello hello, ServerCallContext context)
    {
        if (AgentPrincipal.Of(context) is { } principal)
        {
            if (!string.Equals(hello.AgentId, principal.AgentId, StringComparison.Ordinal))
            {
                metrics.StreamError("identity_mismatch");
                string detail = $"Hello says agent_id '{hello.AgentId}' but the client certificate belongs to agent '{principal.AgentId}'; an agent may speak only as itself";
                LogStreamRejected(logger, context.Peer, "identity_mismatch", detail);
                throw new RpcException(new Status(StatusCode.PermissionDenied, detail));
            }

            foreach ((string key, string value) in certificates.EnrollmentLabels(principal.AgentId))
            {
                hello.Labels[key] = value; // the labels an admin attached to the enrolment token win over the agent's own
            }

            return principal.AgentId;
        }

        if (certificates.FindRevocation(hello.AgentId) is { } revoked)
        {
            metrics.StreamError("revoked");
            throw new RpcException(new Status(StatusCode.Unauthenticated,
                $"agent {hello.AgentId} was revoked at {ApiTokenStore.Format(revoked.RevokedUnixMs)} by {revoked.RevokedBy}: {revoked.Reason}"));
        }

        return hello.AgentId;
    }

    private Welcome BuildWelcome(string agentId) => new()
    {
        AgentId = agentId,
        ServerTimeUnixMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
        Limits = new Limits
        {
            MaxMessageBytes = (uint)_ingest.MaxBatchBytes,
            MaxSeriesPerBatch = (uint)_ingest.MaxSeriesPerBatch,
            MaxSamplesPerBatch = (uint)_ingest.MaxSamplesPerBatch,
            MaxLabelsPerSeries = (uint)_ingest.MaxLabelsPerSeries,
            MaxNameLength = (uint)_ingest.MaxNameLength,
            MaxLabelValueLength = (uint)_ingest.MaxLabelValueLength,
            MaxSamplesPerSecond = (uint)_ingest.MaxSamplesPerSecondPerAgent,
            MaxMessagesPerSecond = (uint)_ingest.MaxMessagesPerSecondPerAgent,
            StreamIdleTimeoutSeconds = (uint)Math.Max(1, _ingest.StreamIdleTimeout.TotalSeconds),
            MaxSeriesPerAgent = (uint)_maxSeriesPerAgent,
        },
    };

    private static async Task ObserveAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcException or IOException or InvalidOperationException or ChannelClosedException)
        {
            // The stream is already ending; its first failure has been reported.
        }
    }

    private sealed record PendingBatch(
        ulong Sequence, Task<AppendResult>? Append, ValidationOutcome Outcome, long ReceivedTimestamp, int Bytes, IReadOnlyList<CommandResult> Results);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Agent {AgentId} ({Hostname}, version {Version}) connected from {Remote}.")]
    private static partial void LogConnected(ILogger logger, string agentId, string hostname, string version, string remote);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Agent {AgentId} ({Hostname}) disconnected: {Reason}.")]
    private static partial void LogDisconnected(ILogger logger, string agentId, string hostname, string reason);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Refused a stream from {Remote}: [{Code}] {Detail}.")]
    private static partial void LogStreamRejected(ILogger logger, string remote, string code, string detail);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning,
        Message = "Batch {Sequence} from agent {AgentId} {Status}: {Rejected} items dropped. First: [{Code}] {Item}: {Message}")]
    private static partial void LogBatchRejected(ILogger logger, string agentId, ulong sequence, string status, int rejected, string code, string item, string message);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Error,
        Message = "Could not store batch {Sequence} from agent {AgentId}; the stream is closed so the agent resends it. Check the data directory's disk space and permissions.")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string agentId, ulong sequence);
}
