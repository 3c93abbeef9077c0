using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using OpsAgent.EndToEnd.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.EndToEnd.Tests;

/// <summary>
/// The collector's delivery contract when its store is slower than its input, against the real process: the test holds
/// the database's write lock (a real stall: the collector's writer waits for it), and sends as fast as the stream lets it.
/// No batch is acknowledged before it is committed; the stream stops taking batches after a bounded number (HTTP/2 flow
/// control reaches the sender) instead of the collector buffering them; when the store is back, every batch is stored
/// once and acknowledged.
/// </summary>
public sealed class GatewayBackpressureTests : IDisposable
{
    private const int Batches = 200;
    private const int SeriesPerBatch = 10;
    private const int SamplesPerSeries = 2000;
    private const int MaxPending = 4;
    private const int QueueCapacity = 8;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Timeout(int seconds = 60)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        return cts.Token;
    }

    [Fact]
    public async Task Connect_StoreStalled_NoAckBeforeCommitStreamBlocksMemoryBoundedThenEverythingStoredOnce()
    {
        await using CollectorProcess collector = await CollectorProcess.StartAsync(_dir.Sub("collector"), extraArgs:
        [
            $"--Collector:Ingest:MaxPendingBatchesPerStream={MaxPending}",
            $"--Collector:Storage:QueueCapacity={QueueCapacity}",
        ]);
        using AsyncDuplexStreamingCall<AgentMessage, CollectorMessage> call = collector.Gateway.Connect(cancellationToken: Timeout(120));
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { AgentId = "bp-1", Hostname = "bp-1", AgentVersion = "test" } }, Timeout());
        Assert.True(await call.ResponseStream.MoveNext(Timeout()));
        Assert.Equal(CollectorMessage.BodyOneofCase.Welcome, call.ResponseStream.Current.BodyCase);

        long start = DateTimeOffset.UtcNow.AddHours(-6).ToUnixTimeMilliseconds();
        var acks = new ConcurrentQueue<BatchAck>();
        Task receive = Task.Run(
            async () =>
        {
            while (await call.ResponseStream.MoveNext(Timeout(120)))
            {
                foreach (BatchAck ack in call.ResponseStream.Current.Ack?.Batches ?? [])
                {
                    acks.Enqueue(ack);
                }
            }
        },
            TestContext.Current.CancellationToken);

        // A first batch with the store running: acknowledged as stored.
        await call.RequestStream.WriteAsync(new AgentMessage { Batch = Batch(1, start) }, Timeout());
        await Eventually.TrueAsync(() => Task.FromResult(acks.Count == 1), TimeSpan.FromSeconds(30), "the first ack");
        long rssBefore = ProcStatus.ResidentBytes(collector.Process!.Pid);

        int written = 0;
        Task send;
        await using (var stall = new SqliteConnection($"Data Source={Path.Combine(collector.DataDirectory, "opsagent.db")};Pooling=False"))
        {
            await stall.OpenAsync(Timeout());
            using (SqliteCommand begin = stall.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync(Timeout());
            }

            send = Task.Run(
                async () =>
            {
                for (int i = 2; i <= Batches + 1; i++)
                {
                    await call.RequestStream.WriteAsync(new AgentMessage { Batch = Batch((ulong)i, start) }, Timeout(120));
                    Interlocked.Increment(ref written);
                }
            },
                TestContext.Current.CancellationToken);

            // The sender stops making progress: the collector stopped reading and flow control holds the sender.
            int previous = -1;
            int stable = 0;
            await Eventually.TrueAsync(
                () =>
                {
                    int now = Volatile.Read(ref written);
                    stable = now == previous ? stable + 1 : 0;
                    previous = now;
                    return Task.FromResult(stable >= 6);
                },
                TimeSpan.FromSeconds(20),
                "the sender to be held by flow control");

            int accepted = Volatile.Read(ref written);
            long rssStalled = ProcStatus.ResidentBytes(collector.Process!.Pid);
            long batchBytes = Batch(2, start).CalculateSize();
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"backpressure: {accepted} of {Batches} batches ({accepted * batchBytes / 1048576.0:F1} MiB) written before the stream blocked; collector RSS {rssBefore / 1048576.0:F1} -> {rssStalled / 1048576.0:F1} MiB");

            Assert.Single(acks);
            Assert.True(accepted < Batches / 4, $"{accepted} of {Batches} batches were taken while the store was stalled; the collector buffers instead of pushing back");
            Assert.True(rssStalled - rssBefore < Batches * batchBytes / 2,
                $"collector RSS grew by {rssStalled - rssBefore} bytes while {accepted} batches of {batchBytes} bytes were taken");

            using SqliteCommand rollback = stall.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync(Timeout());
        }

        await send.WaitAsync(Timeout(120));
        await Eventually.TrueAsync(() => Task.FromResult(acks.Count == Batches + 1), TimeSpan.FromSeconds(120), $"{Batches + 1} acks", () => collector.Process!.Output);
        await call.RequestStream.CompleteAsync();
        await receive.WaitAsync(Timeout());

        Assert.All(acks, a => Assert.Equal(BatchStatus.Stored, a.Status));
        Assert.Equal(Enumerable.Range(1, Batches + 1).Select(i => (ulong)i), acks.Select(a => a.Sequence));
        StoreStats stats = await collector.Admin.GetStoreStatsAsync(new GetStoreStatsRequest(), cancellationToken: Timeout());
        Assert.Equal((ulong)(Batches + 1) * SeriesPerBatch * SamplesPerSeries, stats.Samples);
    }

    /// <summary>A batch of <see cref="SeriesPerBatch"/> series, each continuing where the previous batch stopped.</summary>
    private static TelemetryBatch Batch(ulong sequence, long start)
    {
        var batch = new TelemetryBatch { Sequence = sequence };
        long first = start + ((long)(sequence - 1) * SamplesPerSeries * 10);
        for (int s = 0; s < SeriesPerBatch; s++)
        {
            var series = new MetricSeries { Name = "backpressure.metric", Kind = MetricKind.Gauge, Unit = "1" };
            series.Labels.Add(new Label { Key = "series", Value = s.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            for (int i = 0; i < SamplesPerSeries; i++)
            {
                series.TimestampsUnixMs.Add(first + (i * 10L));
                series.Values.Add((s * 1000) + i);
            }

            batch.Metrics.Add(series);
        }

        return batch;
    }
}
