using Microsoft.Extensions.Options;
using OpsAgent.Agent.Configuration;
using OpsAgent.Agent.Outbox;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Sources.Synthetic;

/// <summary>
/// Produces the synthetic source's history once, at the first start of this agent: <see cref="SyntheticOptions.Backfill"/>
/// of samples at the collection interval, ending where the live cycles begin, in batches the collector accepts. A marker
/// in the state directory makes later starts skip it (an agent killed in the middle may send part of it twice; this is a
/// test source, and the marker is written only after every batch is in the outbox).
/// </summary>
internal sealed partial class SyntheticBackfillService(
    IOptions<SyntheticOptions> synthetic,
    IOptions<AgentOptions> agent,
    IOutbox outbox,
    TimeProvider timeProvider,
    ILogger<SyntheticBackfillService> logger) : BackgroundService
{
    private const string MarkerFile = "synthetic-backfill.done";
    private const int MaxSamplesPerBatch = 50_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        SyntheticOptions options = synthetic.Value;
        if (options.Series == 0 || options.Backfill <= TimeSpan.Zero)
        {
            return;
        }

        string marker = Path.Combine(agent.Value.StateDirectory, MarkerFile);
        if (File.Exists(marker))
        {
            return;
        }

        long interval = agent.Value.Metrics.IntervalSeconds * 1000L;
        long now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        long end = now - (now % interval);
        long start = end - ((long)options.Backfill.TotalMilliseconds / interval * interval);
        var signal = new SyntheticSignal(options);
        int stepsPerBatch = Math.Max(1, MaxSamplesPerBatch / options.Series);
        int batches = 0;
        for (long from = start; from < end; from += stepsPerBatch * interval)
        {
            long to = Math.Min(end, from + (stepsPerBatch * interval));
            await outbox.EnqueueAsync(BuildBatch(options, signal, from, to, interval), OutboxLane.Metrics, stoppingToken).ConfigureAwait(false);
            batches++;
        }

        await File.WriteAllTextAsync(marker, DateTimeOffset.FromUnixTimeMilliseconds(now).ToString("O"), stoppingToken).ConfigureAwait(false);
        LogBackfilled(logger, options.Series, options.Backfill, batches);
    }

    internal static TelemetryBatch BuildBatch(SyntheticOptions options, SyntheticSignal signal, long from, long to, long interval)
    {
        var batch = new TelemetryBatch { CreatedUnixMs = from };
        for (int series = 0; series < options.Series; series++)
        {
            var metric = new MetricSeries { Name = options.MetricName, Kind = MetricKind.Gauge, Unit = "1" };
            metric.Labels.Add(new Label { Key = "series", Value = series.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            for (long t = from; t < to; t += interval)
            {
                metric.TimestampsUnixMs.Add(t);
                metric.Values.Add(signal.ValueAt(series, t));
            }

            batch.Metrics.Add(metric);
        }

        return batch;
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information,
        Message = "Synthetic source: produced {Backfill} of history for {Series} series in {Batches} batches (once; later starts skip it).")]
    private static partial void LogBackfilled(ILogger logger, int series, TimeSpan backfill, int batches);
}
