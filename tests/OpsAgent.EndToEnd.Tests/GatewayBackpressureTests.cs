using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using OpsAgent.EndToEnd.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.EndToEnd.Tests;

/// <summary>
/// The collector's delivery contract when its store is slower than its input, against the real process: the test holds
/// the database's write lock (a real stall: the collector's writer waits for it), and several agents send as fast as
/// their streams let them. No batch is acknowledged before it is committed; the collector stops taking batches once
/// Collector:Ingest:MaxPendingBytes is held across all streams (HTTP/2 flow control reaches the senders) instead of
/// buffering them, so its memory does not grow with the input; when the store is back, every batch is stored once and
/// acknowledged.
/// </summary>
public sealed class GatewayBackpressureTests : IDisposable
{
    private const int Streams = 3;
    private const int BatchesPerStream = 80;
    private const int SeriesPerBatch = 10;
    private const int SamplesPerSeries = 1000;
    private const int MaxPendingBytes = 1024 * 1024;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Timeout(int seconds = 60)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        return cts.Token;
    }

    [Fact]
    public async Task Connect_StoreStalled_NoAckBeforeCommitIntakeBoundedAcrossStreamsThenEverythingStoredOnce()
    {
        // A per-stream limit far above what the global budget lets in: the budget is what must hold.
        await using CollectorProcess collector = await CollectorProcess.StartAsync(_dir.Sub("collector"), extraArgs:
        [
            "--Collector:Ingest:MaxPendingBatchesPerStream=64",
            $"--Collector:Ingest:MaxPendingBytes={MaxPendingBytes}",
        ]);
        long start = DateTimeOffset.UtcNow.AddHours(-6).ToUnixTimeMilliseconds();
        var agents = new List<Agent>();
        for (int i = 0; i < Streams; i++)
        {
            agents.Add(await Agent.ConnectAsync(collector, "bp-" + i, start));
        }

        // A first batch per agent with the store running: acknowledged as stored.
        foreach (Agent agent in agents)
        {
            await agent.SendAsync(1);
        }

        await Eventually.TrueAsync(() => Task.FromResult(agents.All(a => a.Acks.Count == 1)), TimeSpan.FromSeconds(30), "the first acks");
        long rssBefore = ProcStatus.ResidentBytes(collector.Process!.Pid);
        long batchBytes = Agent.Batch(2, start).CalculateSize();

        var senders = new List<Task>();
        await using (var stall = new SqliteConnection($"Data Source={Path.Combine(collector.DataDirectory, "opsagent.db")};Pooling=False"))
        {
            await stall.OpenAsync(Timeout());
            using (SqliteCommand begin = stall.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync(Timeout());
            }

            senders.AddRange(agents.Select(a => Task.Run(() => a.SendManyAsync(2, BatchesPerStream + 1), TestContext.Current.CancellationToken)));

            // The senders stop making progress: the collector stopped reading and flow control holds them.
            int previous = -1;
            int stable = 0;
            await Eventually.TrueAsync(
                () =>
                {
                    int now = agents.Sum(a => a.Written);
                    stable = now == previous ? stable + 1 : 0;
                    previous = now;
                    return Task.FromResult(stable >= 6);
                },
                TimeSpan.FromSeconds(30),
                "the senders to be held by flow control");

            int accepted = agents.Sum(a => a.Written);
            long rssStalled = ProcStatus.ResidentBytes(collector.Process!.Pid);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"backpressure: {accepted} of {Streams * BatchesPerStream} batches ({accepted * batchBytes / 1048576.0:F1} MiB) written by {Streams} agents before their streams blocked; collector RSS {rssBefore / 1048576.0:F1} -> {rssStalled / 1048576.0:F1} MiB");

            // Acknowledged only after commit: nothing since the stall.
            Assert.All(agents, a => Assert.Single(a.Acks));

            // Without the global budget each stream alone could hand over 64 batches; with it, the budget's worth plus
            // what HTTP/2 buffers per stream (its 768 KiB window) is all that gets in.
            long bound = (MaxPendingBytes / batchBytes) + 1 + (Streams * ((768 * 1024 / batchBytes) + 2));
            Assert.True(accepted <= bound, $"{accepted} batches were taken while the store was stalled; at most {bound} should be");
            Assert.True(rssStalled - rssBefore < Streams * BatchesPerStream * batchBytes / 2,
                $"collector RSS grew by {rssStalled - rssBefore} bytes while {accepted} batches of {batchBytes} bytes were taken");

            using SqliteCommand rollback = stall.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync(Timeout());
        }

        await Task.WhenAll(senders).WaitAsync(Timeout(120));
        await Eventually.TrueAsync(() => Task.FromResult(agents.All(a => a.Acks.Count == BatchesPerStream + 1)), TimeSpan.FromSeconds(120),
            $"{BatchesPerStream + 1} acks per agent", () => collector.Process!.Output);
        foreach (Agent agent in agents)
        {
            await agent.DisposeAsync();
            Assert.All(agent.Acks, a => Assert.Equal(BatchStatus.Stored, a.Status));
            Assert.Equal(Enumerable.Range(1, BatchesPerStream + 1).Select(i => (ulong)i), agent.Acks.Select(a => a.Sequence));
        }

        StoreStats stats = await collector.Admin.GetStoreStatsAsync(new GetStoreStatsRequest(), cancellationToken: Timeout());
        Assert.Equal((ulong)Streams * (BatchesPerStream + 1) * SeriesPerBatch * SamplesPerSeries, stats.Samples);
    }

    /// <summary>One hand-driven agent stream: Hello, batches, and the acks read in the background.</summary>
    private sealed class Agent : IAsyncDisposable
    {
        private readonly AsyncDuplexStreamingCall<AgentMessage, CollectorMessage> _call;
        private readonly long _start;
        private readonly Task _receive;
        private int _written;

        private Agent(AsyncDuplexStreamingCall<AgentMessage, CollectorMessage> call, long start)
        {
            _call = call;
            _start = start;
            _receive = Task.Run(
                async () =>
                {
                    while (await _call.ResponseStream.MoveNext(Timeout(180)))
                    {
                        foreach (BatchAck ack in _call.ResponseStream.Current.Ack?.Batches ?? [])
                        {
                            Acks.Enqueue(ack);
                        }
                    }
                },
                TestContext.Current.CancellationToken);
        }

        public ConcurrentQueue<BatchAck> Acks { get; } = new();

        public int Written => Volatile.Read(ref _written);

        public static async Task<Agent> ConnectAsync(CollectorProcess collector, string id, long start)
        {
            AsyncDuplexStreamingCall<AgentMessage, CollectorMessage> call = collector.Gateway.Connect(cancellationToken: Timeout(180));
            await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { AgentId = id, Hostname = id, AgentVersion = "test" } }, Timeout());
            Assert.True(await call.ResponseStream.MoveNext(Timeout()));
            Assert.Equal(CollectorMessage.BodyOneofCase.Welcome, call.ResponseStream.Current.BodyCase);
            return new Agent(call, start);
        }

        public async Task SendAsync(ulong sequence)
        {
            await _call.RequestStream.WriteAsync(new AgentMessage { Batch = Batch(sequence, _start) }, Timeout(120));
            Interlocked.Increment(ref _written);
        }

        public async Task SendManyAsync(int first, int last)
        {
            for (int i = first; i <= last; i++)
            {
                await SendAsync((ulong)i);
            }
        }

        /// <summary>A batch of <see cref="SeriesPerBatch"/> series, each continuing where the previous batch stopped.</summary>
        public static TelemetryBatch Batch(ulong sequence, long start)
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

        public async ValueTask DisposeAsync()
        {
            await _call.RequestStream.CompleteAsync();
            await _receive.WaitAsync(Timeout());
            _call.Dispose();
        }
    }
}
