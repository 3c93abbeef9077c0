using Grpc.Core;
using OpsAgent.Collector.Detection;
using OpsAgent.Protocol;
using ProtoEvent = OpsAgent.Protocol.DetectionEvent;

namespace OpsAgent.Collector.Admin;

/// <summary>The admin API's detection calls: anomalies, incidents, and the live stream of both.</summary>
internal sealed partial class AdminService
{
    private const int DefaultDetectionLimit = 100;
    private const int MaxDetectionLimit = 5000;
    private const long DayMs = 86_400_000;

    public override Task<ListAnomaliesResponse> ListAnomalies(ListAnomaliesRequest request, ServerCallContext context)
    {
        long until = request.UntilUnixMs == 0 ? timeProvider.GetUtcNow().ToUnixTimeMilliseconds() : request.UntilUnixMs;
        long since = request.SinceUnixMs == 0 ? until - DayMs : request.SinceUnixMs;
        if (since > until)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"since ({since}) is after until ({until})"));
        }

        if (request.SeriesIds.Count > MaxDetectionLimit)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"at most {MaxDetectionLimit} series_ids are allowed; got {request.SeriesIds.Count}"));
        }

        (List<AnomalyRecord> anomalies, bool truncated) = detectionQueries.ListAnomalies(new AnomalyFilter(
            since, until, NullIfEmpty(request.Host), NullIfEmpty(request.Metric), request.OpenOnly, [.. request.SeriesIds], Limit(request.Limit)));
        var response = new ListAnomaliesResponse { Truncated = truncated };
        response.Anomalies.Add(anomalies.Select(DetectionMessages.ToMessage));
        return Task.FromResult(response);
    }

    public override Task<ListIncidentsResponse> ListIncidents(ListIncidentsRequest request, ServerCallContext context)
    {
        long since = request.SinceUnixMs == 0 ? timeProvider.GetUtcNow().ToUnixTimeMilliseconds() - (7 * DayMs) : request.SinceUnixMs;
        (List<IncidentRecord> incidents, bool truncated) = detectionQueries.ListIncidents(
            new IncidentFilter(since, NullIfEmpty(request.Host), request.OpenOnly, Limit(request.Limit)));
        var response = new ListIncidentsResponse { Truncated = truncated };
        response.Incidents.Add(incidents.Select(i => DetectionMessages.ToMessage(i)));
        return Task.FromResult(response);
    }

    public override Task<Incident> GetIncident(GetIncidentRequest request, ServerCallContext context)
    {
        if (request.IncidentId == 0 || request.IncidentId > long.MaxValue)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "incident_id is required: the number opsctl incidents shows"));
        }

        var found = detectionQueries.GetIncident((long)request.IncidentId)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no incident {request.IncidentId}; run 'opsctl incidents' to list them (resolved ones are kept for Collector:Detection:Retention)"));
        return Task.FromResult(DetectionMessages.ToMessage(found.Incident, found.Anomalies));
    }

    public override async Task WatchEvents(WatchEventsRequest request, IServerStreamWriter<ProtoEvent> responseStream, ServerCallContext context)
    {
        if (!Enum.IsDefined(request.MinSeverity))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"unknown min_severity {(int)request.MinSeverity}"));
        }

        using DetectionSubscription subscription = detectionEvents.Subscribe(detectionOptions.Value.WatchQueueCapacity);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);

        // Headers now, so that the watcher knows it is subscribed before the first event (which may be hours away).
        await context.WriteResponseHeadersAsync([]).ConfigureAwait(false);
        try
        {
            await foreach (Detection.DetectionEvent e in subscription.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                if (DetectionMessages.Matches(e, request))
                {
                    await responseStream.WriteAsync(DetectionMessages.ToMessage(e, subscription.Dropped), stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            // The collector is stopping: end the stream normally; the watcher sees it end and says so.
        }
    }

    private static int Limit(uint requested) => requested == 0 ? DefaultDetectionLimit : (int)Math.Min(requested, MaxDetectionLimit);
}
