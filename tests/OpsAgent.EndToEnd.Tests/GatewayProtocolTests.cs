using Grpc.Core;
using OpsAgent.EndToEnd.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.EndToEnd.Tests;

/// <summary>Bad agents against the real collector process: each is refused with a status that says why, and counted.</summary>
public sealed class GatewayProtocolTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private CollectorProcess _collector = null!;

    public async ValueTask InitializeAsync() => _collector = await CollectorProcess.StartAsync(_dir.Sub("collector"));

    public async ValueTask DisposeAsync()
    {
        await _collector.DisposeAsync();
        _dir.Dispose();
    }

    private static CancellationToken Timeout(int seconds = 30)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        return cts.Token;
    }

    private static Hello Hello(string agentId) => new() { AgentId = agentId, Hostname = "test-" + agentId, AgentVersion = "test" };

    private static TelemetryBatch Batch(ulong sequence, params MetricSeries[] series)
    {
        var batch = new TelemetryBatch { Sequence = sequence };
        batch.Metrics.Add(series);
        return batch;
    }

    private static MetricSeries Series(string name, long timestamp, double value, int labels = 0)
    {
        var series = new MetricSeries { Name = name, Kind = MetricKind.Gauge, Unit = "1" };
        for (int i = 0; i < labels; i++)
        {
            series.Labels.Add(new Label { Key = $"k{i:D2}", Value = "v" });
        }

        series.TimestampsUnixMs.Add(timestamp);
        series.Values.Add(value);
        return series;
    }

    [Fact]
    public async Task Connect_BatchBeforeHello_FailedPreconditionAndCounted()
    {
        using AsyncDuplexStreamingCall<AgentMessage, CollectorMessage> call = _collector.Gateway.Connect(cancellationToken: Timeout());
        await call.RequestStream.WriteAsync(new AgentMessage { Batch = Batch(1) }, Timeout());

        RpcException ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(Timeout()));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Contains("first message of a stream must be Hello", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("opsagent_collector_stream_errors_total{code=\"no_hello\"} 1", await _collector.GetMetricsTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_BadSeriesAmongGoodOnes_PartialAckGoodDataStoredStreamStaysOpen()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using AsyncDuplexStreamingCall<AgentMessage, CollectorMessage> call = _collector.Gateway.Connect(cancellationToken: Timeout());
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = Hello("partial-1") }, Timeout());
        Assert.True(await call.ResponseStream.MoveNext(Timeout()));
        Assert.Equal(CollectorMessage.BodyOneofCase.Welcome, call.ResponseStream.Current.BodyCase);

        await call.RequestStream.WriteAsync(
            new AgentMessage { Batch = Batch(1, Series("good.metric", now, 1), Series("bad name!", now, 2), Series("too.many.labels", now, 3, labels: 40)) },
            Timeout());
        Assert.True(await call.ResponseStream.MoveNext(Timeout()));
        BatchAck ack = Assert.Single(call.ResponseStream.Current.Ack.Batches);

        Assert.Equal(BatchStatus.Partial, ack.Status);
        Assert.Equal(1u, ack.AcceptedItems);
        Assert.Equal(2u, ack.RejectedItems);
        Assert.Contains(ack.Rejections, r => r.Code == "bad_name");
        Assert.Contains(ack.Rejections, r => r.Code == "label_limit");

        // The stream is still usable: a good batch after the bad one is stored.
        await call.RequestStream.WriteAsync(new AgentMessage { Batch = Batch(2, Series("good.metric", now + 1000, 2)) }, Timeout());
        Assert.True(await call.ResponseStream.MoveNext(Timeout()));
        Assert.Equal(BatchStatus.Stored, Assert.Single(call.ResponseStream.Current.Ack.Batches).Status);

        QueryMetricsResponse stored = await _collector.Admin.QueryMetricsAsync(
            new QueryMetricsRequest { Name = "good.metric", StartUnixMs = now - 60_000, EndUnixMs = now + 60_000 },
            cancellationToken: Timeout());
        Assert.Equal([1.0, 2.0], Assert.Single(stored.Series).Values);
        string metrics = await _collector.GetMetricsTextAsync();
        Assert.Contains("opsagent_collector_rejected_items_total{code=\"bad_name\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("opsagent_collector_rejected_items_total{code=\"label_limit\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_SameSequenceTwice_SecondIsDuplicateAndStoredOnce()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int attempt = 0; attempt < 2; attempt++)
        {
            using AsyncDuplexStreamingCall<AgentMessage, CollectorMessage> call = _collector.Gateway.Connect(cancellationToken: Timeout());
            await call.RequestStream.WriteAsync(new AgentMessage { Hello = Hello("dup-1") }, Timeout());
            Assert.True(await call.ResponseStream.MoveNext(Timeout()));
            await call.RequestStream.WriteAsync(new AgentMessage { Batch = Batch(7, Series("dup.metric", now, 42)) }, Timeout());
            Assert.True(await call.ResponseStream.MoveNext(Timeout()));
            BatchAck ack = Assert.Single(call.ResponseStream.Current.Ack.Batches);
            Assert.Equal(attempt == 0 ? BatchStatus.Stored : BatchStatus.Duplicate, ack.Status);
            await call.RequestStream.CompleteAsync();
        }

        QueryMetricsResponse stored = await _collector.Admin.QueryMetricsAsync(
            new QueryMetricsRequest { Name = "dup.metric", StartUnixMs = now - 60_000, EndUnixMs = now + 60_000 },
            cancellationToken: Timeout());
        Assert.Equal([42.0], Assert.Single(stored.Series).Values);
    }

    [Fact]
    public async Task Connect_OversizedBatch_RejectedInAckAndCounted()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using AsyncDuplexStreamingCall<AgentMessage, CollectorMessage> call = _collector.Gateway.Connect(cancellationToken: Timeout());
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = Hello("big-1") }, Timeout());
        Assert.True(await call.ResponseStream.MoveNext(Timeout()));
        MetricSeries huge = Series("huge.metric", now, 1);
        huge.Unit = new string('x', 60);
        var batch = Batch(1);
        for (int i = 0; i < 20_000; i++)
        {
            MetricSeries s = huge.Clone();
            s.Labels.Add(new Label { Key = "i", Value = new string('y', 200) + i });
            batch.Metrics.Add(s);
        }

        await call.RequestStream.WriteAsync(new AgentMessage { Batch = batch }, Timeout());
        Assert.True(await call.ResponseStream.MoveNext(Timeout()));
        BatchAck ack = Assert.Single(call.ResponseStream.Current.Ack.Batches);

        Assert.Equal(BatchStatus.Rejected, ack.Status);
        Assert.Equal("batch_too_large", ack.Rejections[0].Code);
        Assert.Contains("opsagent_collector_batches_total{outcome=\"rejected\"} 1", await _collector.GetMetricsTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_MessageAboveHardLimit_ResourceExhaustedAndCollectorKeepsServing()
    {
        using (AsyncDuplexStreamingCall<AgentMessage, CollectorMessage> call = _collector.Gateway.Connect(cancellationToken: Timeout()))
        {
            await call.RequestStream.WriteAsync(new AgentMessage { Hello = Hello("huge-1") }, Timeout());
            Assert.True(await call.ResponseStream.MoveNext(Timeout()));
            var batch = Batch(1, Series("m", 1, 1));
            batch.Metrics[0].Unit = new string('x', 10 * 1024 * 1024);
            try
            {
                await call.RequestStream.WriteAsync(new AgentMessage { Batch = batch }, Timeout());
            }
            catch (RpcException)
            {
                // The server may end the call while the client is still writing.
            }

            RpcException ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(Timeout()));
            Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        }

        Assert.Contains("opsagent_collector_stream_errors_total{code=\"message_too_large\"} 1", await _collector.GetMetricsTextAsync(), StringComparison.Ordinal);
        ListAgentsResponse agents = await _collector.Admin.ListAgentsAsync(new ListAgentsRequest(), cancellationToken: Timeout());
        Assert.Contains(agents.Agents, a => a.AgentId == "huge-1");
    }

    [Fact]
    public async Task AdminApi_CalledOnGatewayPort_UnimplementedWithDirections()
    {
        var wrongPort = new Admin.AdminClient(Grpc.Net.Client.GrpcChannel.ForAddress(_collector.GatewayUrl));

        RpcException ex = await Assert.ThrowsAsync<RpcException>(async () => await wrongPort.ListAgentsAsync(new ListAgentsRequest(), cancellationToken: Timeout()));

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
        Assert.Contains("admin API is not served on this port", ex.Status.Detail, StringComparison.Ordinal);
    }
}
