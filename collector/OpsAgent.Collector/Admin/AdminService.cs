using Grpc.Core;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Commands;
using OpsAgent.Collector.Detection;
using OpsAgent.Collector.Gateway;
using OpsAgent.Collector.Playbooks;
using OpsAgent.Collector.Playbooks.Catalog;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Admin;

/// <summary>The admin API used by opsctl and CI pipelines: fleet, metrics, detection, commands and playbooks, and the collector's own store.</summary>
internal sealed partial class AdminService(
    IAgentRepository agents,
    ConnectionRegistry connections,
    ITelemetryStore store,
    TimeProvider timeProvider,
    DetectionQueries detectionQueries,
    DetectionEventHub detectionEvents,
    IOptions<DetectionOptions> detectionOptions,
    IHostApplicationLifetime lifetime,
    CommandDispatcher commands,
    PlaybookStore playbookStore,
    PlaybookRunner playbookRunner,
    PlaybookCounters playbookCounters) : Protocol.Admin.AdminBase
{
    private const int DefaultSeriesLimit = 1000;
    private const int MaxSeriesLimit = 10_000;
    private const int DefaultMaxQuerySeries = 200;
    private const int MaxQuerySeries = 5000;
    private const long MaxPointsPerSeries = 11_000;

    public override Task<ListAgentsResponse> ListAgents(ListAgentsRequest request, ServerCallContext context)
    {
        var response = new ListAgentsResponse();
        foreach (AgentRecord record in agents.List().OrderBy(a => a.Hostname, StringComparer.Ordinal).ThenBy(a => a.AgentId, StringComparer.Ordinal))
        {
            AgentInfo info = ToInfo(record);
            if (!request.ConnectedOnly || info.Connected)
            {
                response.Agents.Add(info);
            }
        }

        return Task.FromResult(response);
    }

    public override Task<AgentInfo> GetAgent(GetAgentRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.AgentId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "agent_id is required (an agent id or a hostname)"));
        }

        AgentRecord record = agents.Find(request.AgentId)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no agent with id or hostname '{request.AgentId}' has ever connected"));
        return Task.FromResult(ToInfo(record));
    }

    public override Task<ListSeriesResponse> ListSeries(ListSeriesRequest request, ServerCallContext context)
    {
        int limit = request.Limit == 0 ? DefaultSeriesLimit : (int)Math.Min(request.Limit, MaxSeriesLimit);
        SeriesListing listing = store.ListSeries(new SeriesSelector(null, NullIfEmpty(request.NamePrefix), ValidMatchers(request.Matchers)), limit);
        var response = new ListSeriesResponse { Truncated = listing.Truncated };
        foreach (StoredSeries series in listing.Series)
        {
            response.Series.Add(ToInfo(series));
        }

        return Task.FromResult(response);
    }

    public override Task<QueryMetricsResponse> QueryMetrics(QueryMetricsRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "name is required: the metric to query, e.g. system.cpu.utilization"));
        }

        long end = request.EndUnixMs == 0 ? timeProvider.GetUtcNow().ToUnixTimeMilliseconds() : request.EndUnixMs;
        long start = request.StartUnixMs == 0 ? end - (15 * 60 * 1000) : request.StartUnixMs;
        if (start > end)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"start ({start}) is after end ({end})"));
        }

        if (request.StepMs < 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "step_ms must not be negative"));
        }

        if (request.StepMs > 0 && (end - start) / request.StepMs > MaxPointsPerSeries)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"the range holds {(end - start) / request.StepMs} steps of {request.StepMs} ms; at most {MaxPointsPerSeries} are returned per series. Use a larger step."));
        }

        if (!Enum.IsDefined(request.Aggregation))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"unknown aggregation {(int)request.Aggregation}"));
        }

        int maxSeries = request.MaxSeries == 0 ? DefaultMaxQuerySeries : (int)Math.Min(request.MaxSeries, MaxQuerySeries);
        var query = new MetricQuery(
            new SeriesSelector(request.Name, null, ValidMatchers(request.Matchers)),
            start,
            end,
            request.StepMs,
            request.Aggregation,
            maxSeries);
        QueryResult result = store.Query(query);
        var response = new QueryMetricsResponse { Truncated = result.Truncated };
        foreach (SeriesSamples samples in result.Series)
        {
            var points = new SeriesPoints { Series = ToInfo(samples.Series) };
            points.TimestampsUnixMs.Add(samples.TimestampsUnixMs);
            points.Values.Add(samples.Values);
            response.Series.Add(points);
        }

        return Task.FromResult(response);
    }

    public override Task<StoreStats> GetStoreStats(GetStoreStatsRequest request, ServerCallContext context)
    {
        StoreStatistics s = store.GetStatistics();
        return Task.FromResult(new StoreStats
        {
            Series = s.Series,
            Samples = s.Samples,
            ChunkBytes = s.ChunkBytes,
            ChunkSamples = s.ChunkSamples,
            FileBytes = s.FileBytes,
            BatchesStored = s.BatchesStored,
            DuplicatesDropped = s.DuplicatesDropped,
            OldestSampleUnixMs = s.OldestSampleUnixMs,
            NewestSampleUnixMs = s.NewestSampleUnixMs,
            DataDirectory = s.DataDirectory,
        });
    }

    private AgentInfo ToInfo(AgentRecord record)
    {
        AgentConnection? connection = connections.Find(record.AgentId);
        var info = new AgentInfo
        {
            AgentId = record.AgentId,
            Hostname = record.Hostname,
            AgentVersion = record.AgentVersion,
            Host = record.Host,
            Connected = connection is not null,
            ConnectedSinceUnixMs = connection?.ConnectedAtUnixMs ?? 0,
            LastSeenUnixMs = Math.Max(record.LastSeenUnixMs, connection?.LastSeenUnixMs ?? 0),
            FirstSeenUnixMs = record.FirstSeenUnixMs,
            RemoteAddress = connection?.RemoteAddress ?? record.RemoteAddress,
            BatchesStored = record.BatchesStored,
            SamplesStored = record.SamplesStored,
            LastSequence = record.LastSequence,
        };
        foreach ((string key, string value) in record.Labels)
        {
            info.Labels[key] = value;
        }

        info.Capabilities.Add(record.Capabilities);
        return info;
    }

    private static SeriesInfo ToInfo(StoredSeries series)
    {
        var info = new SeriesInfo
        {
            SeriesId = series.SeriesId,
            Name = series.Name,
            Kind = series.Kind,
            Unit = series.Unit,
            AgentId = series.AgentId,
            Hostname = series.Hostname,
            FirstSampleUnixMs = series.FirstSampleUnixMs,
            LastSampleUnixMs = series.LastSampleUnixMs,
        };
        foreach ((string key, string value) in series.Labels)
        {
            info.Labels.Add(new Label { Key = key, Value = value });
        }

        return info;
    }

    private static IReadOnlyList<LabelMatcher> ValidMatchers(IEnumerable<LabelMatcher> matchers)
    {
        var list = matchers.ToList();
        if (list.Count > 32)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "at most 32 label matchers are allowed"));
        }

        foreach (LabelMatcher m in list)
        {
            if (string.IsNullOrEmpty(m.Key))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "a label matcher needs a key"));
            }

            if (m.Op is MatchOp.Regex or MatchOp.NotRegex)
            {
                if (m.Value.Length > 1024)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, $"the regular expression for '{m.Key}' is longer than 1024 characters"));
                }

                try
                {
                    _ = new System.Text.RegularExpressions.Regex(m.Value, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100));
                }
                catch (ArgumentException ex)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, $"the regular expression for '{m.Key}' is invalid: {ex.Message}"));
                }
            }
        }

        return list;
    }

    private static string? NullIfEmpty(string s) => string.IsNullOrEmpty(s) ? null : s;
}
