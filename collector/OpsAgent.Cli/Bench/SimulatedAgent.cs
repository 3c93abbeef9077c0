using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Bench;

/// <summary>
/// One simulated agent on its own connection: Hello, then batches of host-metric-like samples with sequence numbers,
/// at most <see cref="IngestBenchSettings.MaxInFlight"/> unacknowledged (as the agent's uplink does); flow control of the
/// stream slows it down like it slows a real agent. Records the time from sending a batch to its acknowledgement.
/// </summary>
internal sealed class SimulatedAgent : IDisposable
{
    private readonly IngestBenchSettings _settings;
    private readonly CallInvoker _invoker;
    private readonly TimeProvider _time;
    private readonly HostMetricGenerator _generator;
    private readonly ConcurrentDictionary<ulong, (long SentAt, int Samples)> _inFlight = new();
    private readonly SemaphoreSlim _window;
    private readonly List<double> _latenciesMs = [];
    private long _batchesSent;
    private long _batchesStored;
    private long _batchesNotStored;
    private long _samplesStored;
    private long _samplesStoredInTime;
    private long _deadline;

    public SimulatedAgent(int index, IngestBenchSettings settings, CallInvoker invoker, TimeProvider time)
    {
        _settings = settings;
        _invoker = invoker;
        _time = time;
        AgentId = string.Create(CultureInfo.InvariantCulture, $"{settings.AgentPrefix}-{index:D4}");
        _generator = new HostMetricGenerator(settings.SeriesPerAgent, seed: index + 1);
        _window = new SemaphoreSlim(settings.MaxInFlight, settings.MaxInFlight);
    }

    public string AgentId { get; }

    public long BatchesSent => Interlocked.Read(ref _batchesSent);

    public long BatchesStored => Interlocked.Read(ref _batchesStored);

    /// <summary>Batches acknowledged as duplicate, partial or rejected: a sign the collector refused something.</summary>
    public long BatchesNotStored => Interlocked.Read(ref _batchesNotStored);

    public long SamplesStored => Interlocked.Read(ref _samplesStored);

    /// <summary>Samples whose acknowledgement arrived before the sending period ended.</summary>
    public long SamplesStoredInTime => Interlocked.Read(ref _samplesStoredInTime);

    /// <summary>Milliseconds from writing each batch to reading its acknowledgement; read after <see cref="RunAsync"/>.</summary>
    public IReadOnlyList<double> LatenciesMs => _latenciesMs;

    /// <summary>Why the stream ended early, or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>True when sample times reached the present in <see cref="BenchPace.Max"/> and the agent stopped early.</summary>
    public bool RanOutOfTime { get; private set; }

    /// <summary>Sends for <see cref="IngestBenchSettings.Duration"/> from <paramref name="started"/>, then waits for the last acknowledgements.</summary>
    public async Task RunAsync(long started, long firstSampleUnixMs, CancellationToken cancellationToken)
    {
        _deadline = started + (long)(_settings.Duration.TotalSeconds * _time.TimestampFrequency);
        try
        {
            using AsyncDuplexStreamingCall<AgentMessage, CollectorMessage> call =
                new AgentGateway.AgentGatewayClient(_invoker).Connect(cancellationToken: cancellationToken);
            await call.RequestStream.WriteAsync(new AgentMessage { Hello = BuildHello() }, cancellationToken).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false) ||
                call.ResponseStream.Current.BodyCase != CollectorMessage.BodyOneofCase.Welcome)
            {
                Failure = "the collector did not answer Hello with Welcome";
                return;
            }

            Task receive = ReceiveAsync(call.ResponseStream, cancellationToken);
            await SendAsync(call.RequestStream, started, firstSampleUnixMs, cancellationToken).ConfigureAwait(false);
            await DrainAsync(cancellationToken).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            await receive.ConfigureAwait(false);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Failure = $"{ex.StatusCode}: {ex.Status.Detail}";
        }
    }

    private async Task SendAsync(IClientStreamWriter<AgentMessage> stream, long started, long firstSampleUnixMs, CancellationToken cancellationToken)
    {
        TelemetryBatch batch = BuildTemplate();
        long intervalMs = (long)_settings.Interval.TotalMilliseconds;
        long batchPeriodMs = intervalMs * _settings.SamplesPerBatch;
        long sampleTime = firstSampleUnixMs;
        for (ulong sequence = 1; ; sequence++)
        {
            TimeSpan untilDeadline = _time.GetElapsedTime(_time.GetTimestamp(), _deadline);
            if (_settings.Pace == BenchPace.Realtime)
            {
                TimeSpan due = TimeSpan.FromMilliseconds((double)(sequence - 1) * batchPeriodMs) - _time.GetElapsedTime(started);
                if (due >= untilDeadline)
                {
                    return;
                }

                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, _time, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (sampleTime + batchPeriodMs > _time.GetUtcNow().ToUnixTimeMilliseconds())
            {
                RanOutOfTime = true;
                return;
            }

            untilDeadline = _time.GetElapsedTime(_time.GetTimestamp(), _deadline);
            if (untilDeadline <= TimeSpan.Zero || !await _window.WaitAsync(untilDeadline, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            int samples = Fill(batch, sampleTime, intervalMs);
            batch.Sequence = sequence;
            sampleTime += batchPeriodMs;
            _inFlight[sequence] = (_time.GetTimestamp(), samples);
            await stream.WriteAsync(new AgentMessage { Batch = batch }, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _batchesSent);
        }
    }

    private async Task ReceiveAsync(IAsyncStreamReader<CollectorMessage> stream, CancellationToken cancellationToken)
    {
        while (await stream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            if (stream.Current.BodyCase != CollectorMessage.BodyOneofCase.Ack)
            {
                continue;
            }

            long now = _time.GetTimestamp();
            foreach (BatchAck ack in stream.Current.Ack.Batches)
            {
                if (!_inFlight.TryRemove(ack.Sequence, out (long SentAt, int Samples) sent))
                {
                    continue;
                }

                _latenciesMs.Add(_time.GetElapsedTime(sent.SentAt, now).TotalMilliseconds);
                if (ack.Status == BatchStatus.Stored)
                {
                    Interlocked.Increment(ref _batchesStored);
                    Interlocked.Add(ref _samplesStored, sent.Samples);
                    if (now <= _deadline)
                    {
                        Interlocked.Add(ref _samplesStoredInTime, sent.Samples);
                    }
                }
                else
                {
                    Interlocked.Increment(ref _batchesNotStored);
                }

                _window.Release();
            }
        }
    }

    /// <summary>Waits (up to 60 s) for the batches still in flight when sending stopped.</summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        while (!_inFlight.IsEmpty && _time.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _window.Dispose();

    private Hello BuildHello()
    {
        var hello = new Hello
        {
            AgentId = AgentId,
            Hostname = AgentId,
            AgentVersion = "opsctl-bench",
            OldestUnackedSequence = 1,
        };
        hello.Labels.Add("bench", _settings.AgentPrefix);
        hello.Capabilities.Add("metrics");
        return hello;
    }

    /// <summary>One batch object per agent, refilled for every batch: the series' names and labels are built once.</summary>
    private TelemetryBatch BuildTemplate()
    {
        var batch = new TelemetryBatch();
        foreach (HostMetricSeries series in _generator.Series)
        {
            var metric = new MetricSeries
            {
                Name = series.Name,
                Unit = series.Unit,
                Kind = series.Kind is HostMetricKind.BusyCounter or HostMetricKind.IdleCounter ? MetricKind.Counter : MetricKind.Gauge,
            };
            foreach ((string key, string value) in series.Labels)
            {
                metric.Labels.Add(new Label { Key = key, Value = value });
            }

            batch.Metrics.Add(metric);
        }

        return batch;
    }

    private int Fill(TelemetryBatch batch, long firstSampleUnixMs, long intervalMs)
    {
        batch.CreatedUnixMs = firstSampleUnixMs;
        for (int s = 0; s < _generator.Series.Count; s++)
        {
            MetricSeries metric = batch.Metrics[s];
            metric.TimestampsUnixMs.Clear();
            metric.Values.Clear();
            for (int i = 0; i < _settings.SamplesPerBatch; i++)
            {
                metric.TimestampsUnixMs.Add(firstSampleUnixMs + (i * intervalMs));
                metric.Values.Add(_generator.Next(_generator.Series[s]));
            }
        }

        return _generator.Series.Count * _settings.SamplesPerBatch;
    }
}
