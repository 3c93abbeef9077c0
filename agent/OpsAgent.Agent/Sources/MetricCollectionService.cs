using Microsoft.Extensions.Options;
using OpsAgent.Agent.Configuration;
using OpsAgent.Agent.Outbox;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Sources;

/// <summary>
/// Polls every metric source once per interval, on interval boundaries (so samples of a fleet line up), and hands the
/// cycle's samples to the outbox as one batch. A source that throws loses its samples for that cycle, nothing more.
/// </summary>
internal sealed partial class MetricCollectionService : BackgroundService
{
    private readonly IReadOnlyList<IMetricSource> _sources;
    private readonly IOutbox _outbox;
    private readonly SourceErrorCounter _errors;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<MetricCollectionService> _logger;
    private readonly TimeSpan _interval;
    private long _lastTimestamp = long.MinValue;

    public MetricCollectionService(
        IEnumerable<IMetricSource> sources,
        IOutbox outbox,
        SourceErrorCounter errors,
        IOptions<AgentOptions> options,
        TimeProvider timeProvider,
        ILogger<MetricCollectionService> logger)
    {
        _sources = [.. sources];
        _outbox = outbox;
        _errors = errors;
        _timeProvider = timeProvider;
        _logger = logger;
        _interval = TimeSpan.FromSeconds(options.Value.Metrics.IntervalSeconds);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(_logger, _sources.Count, _interval);
        try
        {
            await Task.Delay(UntilNextBoundary(), _timeProvider, stoppingToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(_interval, _timeProvider);
            do
            {
                await CollectOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One cycle: every source, one batch. Public to the assembly so tests can drive cycles directly.</summary>
    internal async Task CollectOnceAsync(CancellationToken cancellationToken)
    {
        var buffer = new MetricBuffer(NextTimestamp(_timeProvider.GetUtcNow().ToUnixTimeMilliseconds()));
        foreach (IMetricSource source in _sources)
        {
            try
            {
                source.Collect(buffer);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                buffer.ReportError(source.Name, "the source failed", ex);
            }
        }

        foreach (SourceError error in buffer.Errors)
        {
            _errors.Increment(error.Source);
            if (_errors.ShouldLog(error.Source, error.What))
            {
                LogSourceError(_logger, error.Source, error.What, error.Exception);
            }
        }

        if (buffer.Samples.Count == 0)
        {
            return;
        }

        await _outbox.EnqueueAsync(ToBatch(buffer), OutboxLane.Metrics, cancellationToken).ConfigureAwait(false);
    }

    internal static TelemetryBatch ToBatch(MetricBuffer buffer)
    {
        var batch = new TelemetryBatch { CreatedUnixMs = buffer.TimestampUnixMs };
        foreach (MetricSample sample in buffer.Samples)
        {
            var series = new MetricSeries { Name = sample.Name, Kind = sample.Kind, Unit = sample.Unit };
            foreach (MetricLabel label in sample.Labels)
            {
                series.Labels.Add(new Label { Key = label.Key, Value = label.Value });
            }

            series.TimestampsUnixMs.Add(buffer.TimestampUnixMs);
            series.Values.Add(sample.Value);
            batch.Metrics.Add(series);
        }

        return batch;
    }

    /// <summary>
    /// The cycle's timestamp: the interval boundary it was scheduled for. The timer may fire a few milliseconds early
    /// (rounding down would then give the previous boundary, the timestamp of the cycle before) or late, so the time is
    /// rounded down after adding a quarter interval (at most 250 ms); and no two cycles ever share a timestamp, which
    /// would store two samples of every series at the same time.
    /// </summary>
    internal long NextTimestamp(long nowUnixMs)
    {
        long interval = (long)_interval.TotalMilliseconds;
        long shifted = nowUnixMs + Math.Min(250, interval / 4);
        long timestamp = shifted - (shifted % interval);
        if (timestamp <= _lastTimestamp)
        {
            timestamp = _lastTimestamp + interval;
        }

        _lastTimestamp = timestamp;
        return timestamp;
    }

    private TimeSpan UntilNextBoundary()
    {
        long now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        long interval = (long)_interval.TotalMilliseconds;
        return TimeSpan.FromMilliseconds(interval - (now % interval));
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Collecting metrics from {Sources} sources every {Interval}.")]
    private static partial void LogStarted(ILogger logger, int sources, TimeSpan interval);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "Metric source {Source} could not collect {What}; its other metrics are still sent. This message repeats at most once an hour per problem.")]
    private static partial void LogSourceError(ILogger logger, string source, string what, Exception? exception);
}
