using OpsAgent.Cli.Connection;
using OpsAgent.Cli.Invocation;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Bench;

/// <summary>
/// Runs `opsctl bench ingest`: reads the store's and the collector process's figures, lets the simulated agents send
/// for the duration while sampling the collector's memory, waits for the last acknowledgements, and compares.
/// </summary>
internal static class IngestBenchmark
{
    /// <summary>In <see cref="BenchPace.Max"/>, sample times start this far in the past (the collector accepts 7 days).</summary>
    private static readonly TimeSpan MaxPaceHistory = TimeSpan.FromDays(6);

    public static async Task<IngestReport> RunAsync(CommandContext context, IngestBenchSettings settings, Uri? gateway, Uri? metrics)
    {
        CancellationToken cancellationToken = context.CancellationToken;
        TimeProvider time = context.Time;
        StoreStats before = await context.Admin.GetStoreStatsAsync(new GetStoreStatsRequest(), cancellationToken: cancellationToken);
        CollectorEndpoints endpoints = CollectorEndpoints.Resolve(context.Connection.Collector, gateway, metrics, before.DataDirectory);
        var problems = new List<string>();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        CollectorProcessStats? processBefore = await CollectorProcessStats.ReadAsync(http, endpoints.Metrics, cancellationToken);
        if (processBefore is null)
        {
            problems.Add($"could not read the collector's memory and CPU from {endpoints.Metrics}metrics ({endpoints.MetricsSource}); pass --metrics URL");
        }

        var channels = new List<CollectorChannel>(settings.Agents);
        var agents = new List<SimulatedAgent>(settings.Agents);
        try
        {
            for (int i = 0; i < settings.Agents; i++)
            {
                CollectorChannel channel = context.OpenChannel(endpoints.Gateway);
                channels.Add(channel);
                agents.Add(new SimulatedAgent(i, settings, channel.CallInvoker, time));
            }

            long intervalMs = (long)settings.Interval.TotalMilliseconds;
            long now = time.GetUtcNow().ToUnixTimeMilliseconds();
            long firstSample = settings.Pace == BenchPace.Max
                ? now - (long)MaxPaceHistory.TotalMilliseconds
                : now - (intervalMs * settings.SamplesPerBatch);
            firstSample -= firstSample % intervalMs;

            using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task<double> maxRss = SampleMaxRssAsync(http, endpoints.Metrics, processBefore?.ResidentBytes ?? 0, time, sampling.Token);
            long started = time.GetTimestamp();
            await Task.WhenAll(agents.Select(a => a.RunAsync(started, firstSample, cancellationToken)));
            double elapsed = time.GetElapsedTime(started).TotalSeconds;
            await sampling.CancelAsync();
            double rssMax = await maxRss;

            CollectorProcessStats? processAfter = await CollectorProcessStats.ReadAsync(http, endpoints.Metrics, cancellationToken);
            StoreStats after = await context.Admin.GetStoreStatsAsync(new GetStoreStatsRequest(), cancellationToken: cancellationToken);
            foreach (SimulatedAgent agent in agents.Where(a => a.Failure is not null).Take(3))
            {
                problems.Add($"agent {agent.AgentId}: the stream ended early: {agent.Failure}");
            }

            if (agents.Any(a => a.RanOutOfTime))
            {
                problems.Add("with --pace max the sample times reached the present before the duration ended; shorten --duration or add --series");
            }

            if (agents.Sum(a => a.BatchesNotStored) is > 0 and long notStored)
            {
                problems.Add($"{notStored} batches were acknowledged as duplicate, partial or rejected instead of stored; see the collector's log");
            }

            return BuildReport(settings, endpoints, agents, elapsed, before, after, processBefore, processAfter, Math.Max(rssMax, processAfter?.ResidentBytes ?? 0), problems);
        }
        finally
        {
            foreach (SimulatedAgent agent in agents)
            {
                agent.Dispose();
            }

            foreach (CollectorChannel channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    private static IngestReport BuildReport(
        IngestBenchSettings settings,
        CollectorEndpoints endpoints,
        List<SimulatedAgent> agents,
        double elapsed,
        StoreStats before,
        StoreStats after,
        CollectorProcessStats? processBefore,
        CollectorProcessStats? processAfter,
        double rssMax,
        List<string> problems)
    {
        double[] latencies = [.. agents.SelectMany(a => a.LatenciesMs).Order()];
        long inTime = agents.Sum(a => a.SamplesStoredInTime);
        ulong added = after.Samples > before.Samples ? after.Samples - before.Samples : 0;
        ulong grown = after.FileBytes > before.FileBytes ? after.FileBytes - before.FileBytes : 0;
        IngestReportCollector? collector = processBefore is not null && processAfter is not null
            ? new IngestReportCollector(
                endpoints.Metrics.ToString(),
                processBefore.ResidentBytes,
                rssMax,
                processAfter.ResidentBytes,
                processAfter.CpuSeconds - processBefore.CpuSeconds,
                (processAfter.CpuSeconds - processBefore.CpuSeconds) / elapsed * 100)
            : null;

        return new IngestReport(
            new IngestReportRun(
                endpoints.Gateway.ToString(),
                endpoints.GatewaySource,
                settings.Agents,
                settings.SeriesPerAgent,
                settings.Interval.TotalSeconds,
                settings.SamplesPerBatch,
                settings.Pace == BenchPace.Max ? "max" : "realtime",
                settings.Duration.TotalSeconds,
                elapsed),
            new IngestReportThroughput(
                agents.Sum(a => a.BatchesSent),
                agents.Sum(a => a.BatchesStored),
                agents.Sum(a => a.BatchesNotStored),
                agents.Sum(a => a.SamplesStored),
                inTime / settings.Duration.TotalSeconds,
                settings.OfferedSamplesPerSecond),
            new IngestReportLatency(latencies.Length, Percentiles.Of(latencies, 50), Percentiles.Of(latencies, 99), latencies.Length > 0 ? latencies[^1] : 0),
            collector,
            new IngestReportStore(
                before.Samples,
                after.Samples,
                before.FileBytes,
                after.FileBytes,
                added > 0 ? grown / (double)added : 0,
                after.ChunkSamples > 0 ? after.ChunkBytes / (double)after.ChunkSamples : 0),
            problems);
    }

    private static async Task<double> SampleMaxRssAsync(HttpClient http, Uri metrics, double initial, TimeProvider time, CancellationToken cancellationToken)
    {
        double max = initial;
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await CollectorProcessStats.ReadAsync(http, metrics, cancellationToken).ConfigureAwait(false) is { } stats)
                {
                    max = Math.Max(max, stats.ResidentBytes);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }

        return max;
    }
}
