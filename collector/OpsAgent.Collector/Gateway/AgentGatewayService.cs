using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Options;
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
    ILogger<AgentGatewayService> logger) : AgentGateway.AgentGatewayBase
{
    private readonly IngestOptions _ingest = ingestOptions.Value;

    public override async Task Connect(
        IAsyncStreamReader<AgentMessage> requestStream,
        IServerStreamWriter<CollectorMessage> responseStream,
        ServerCallContext context)
    {
        metrics.StreamOpened();
        try
        {
            Hello hello = await ReadHelloAsync(requestStream, context).ConfigureAwait(false);
            string agentId = IdentityOf(hello);
            long now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            using var connection = new AgentConnection(agentId, hello.Hostname, context.Peer, now, context.CancellationToken);
            registry.Register(connection);
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
        while (await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            AgentMessage message = requestStream.Current;
            long now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            connection.Touch(now);
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

    private PendingBatch Accept(string agentId, TelemetryBatch batch, int bytes, CancellationToken cancellationToken)
    {
        long received = timeProvider.GetTimestamp();
        ulong sequence = batch.Sequence;
        ValidationOutcome outcome = validator.Validate(batch, bytes);
        foreach ((string code, int count) in outcome.CountsByCode)
        {
            metrics.RejectedItems(code, count);
        }

        if (outcome.RejectedWhole || batch.Metrics.Count == 0)
        {
            return new PendingBatch(sequence, null, outcome, received, bytes);
        }

        Task<AppendResult> append = store.AppendAsync(agentId, batch, cancellationToken).AsTask();
        return new PendingBatch(sequence, append, outcome, received, bytes);
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
                    ack.Batches.Add(await CompleteAsync(connection.AgentId, next).ConfigureAwait(false));
                }
                finally
                {
                    budget.Release(next.Bytes);
                }
            }

            await connection.SendAsync(new CollectorMessage { Ack = ack }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<BatchAck> CompleteAsync(string agentId, PendingBatch item)
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
                ack.Status = outcome.RejectedItems > 0 ? BatchStatus.Partial : BatchStatus.Stored;
                metrics.SamplesStored(result.SamplesStored);
                agents.RecordActivity(agentId, timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), item.Sequence, result.SamplesStored);
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

    // Without mTLS the agent's own claim is all there is; with mTLS the certificate decides (see the identity feature).
    private static string IdentityOf(Hello hello) => hello.AgentId;

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

    private sealed record PendingBatch(ulong Sequence, Task<AppendResult>? Append, ValidationOutcome Outcome, long ReceivedTimestamp, int Bytes);

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
