using System.Collections.Concurrent;
using Grpc.Core;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Tests.Infrastructure;

/// <summary>
/// The collector's Admin service with answers scripted by the test. Every request is recorded with its
/// metadata so that tests can assert on what opsctl sent. An RPC that a test did not script answers
/// Unimplemented, as a collector that lacks it would.
/// </summary>
internal sealed class ScriptedAdminService : Admin.AdminBase
{
    public Func<ListAgentsRequest, ServerCallContext, Task<ListAgentsResponse>>? OnListAgents { get; set; }

    public Func<GetAgentRequest, ServerCallContext, Task<AgentInfo>>? OnGetAgent { get; set; }

    public Func<ListSeriesRequest, ServerCallContext, Task<ListSeriesResponse>>? OnListSeries { get; set; }

    public Func<QueryMetricsRequest, ServerCallContext, Task<QueryMetricsResponse>>? OnQueryMetrics { get; set; }

    public Func<ListAnomaliesRequest, ServerCallContext, Task<ListAnomaliesResponse>>? OnListAnomalies { get; set; }

    public Func<ListIncidentsRequest, ServerCallContext, Task<ListIncidentsResponse>>? OnListIncidents { get; set; }

    public Func<GetIncidentRequest, ServerCallContext, Task<Incident>>? OnGetIncident { get; set; }

    public Func<WatchEventsRequest, IServerStreamWriter<DetectionEvent>, ServerCallContext, Task>? OnWatchEvents { get; set; }

    public ConcurrentQueue<ReceivedCall> Calls { get; } = new();

    public T SingleRequest<T>() => Assert.IsType<T>(Assert.Single(Calls).Request);

    /// <summary>The one request of type <typeparamref name="T"/> among the calls (a command may make other calls too).</summary>
    public T SingleRequestOf<T>() => Assert.Single(Calls.Select(c => c.Request).OfType<T>());

    public override Task<ListAgentsResponse> ListAgents(ListAgentsRequest request, ServerCallContext context) =>
        Handle(OnListAgents, request, context);

    public override Task<AgentInfo> GetAgent(GetAgentRequest request, ServerCallContext context) =>
        Handle(OnGetAgent, request, context);

    public override Task<ListSeriesResponse> ListSeries(ListSeriesRequest request, ServerCallContext context) =>
        Handle(OnListSeries, request, context);

    public override Task<QueryMetricsResponse> QueryMetrics(QueryMetricsRequest request, ServerCallContext context) =>
        Handle(OnQueryMetrics, request, context);

    public override Task<ListAnomaliesResponse> ListAnomalies(ListAnomaliesRequest request, ServerCallContext context) =>
        Handle(OnListAnomalies, request, context);

    public override Task<ListIncidentsResponse> ListIncidents(ListIncidentsRequest request, ServerCallContext context) =>
        Handle(OnListIncidents, request, context);

    public override Task<Incident> GetIncident(GetIncidentRequest request, ServerCallContext context) =>
        Handle(OnGetIncident, request, context);

    public override Task WatchEvents(WatchEventsRequest request, IServerStreamWriter<DetectionEvent> responseStream, ServerCallContext context)
    {
        Calls.Enqueue(new ReceivedCall(context.Method, request, context.RequestHeaders.Get("authorization")?.Value));
        return OnWatchEvents is null
            ? throw new RpcException(new Status(StatusCode.Unimplemented, $"{context.Method} is not scripted by this test"))
            : OnWatchEvents(request, responseStream, context);
    }

    private Task<TResponse> Handle<TRequest, TResponse>(
        Func<TRequest, ServerCallContext, Task<TResponse>>? handler, TRequest request, ServerCallContext context)
        where TRequest : notnull
    {
        Calls.Enqueue(new ReceivedCall(context.Method, request, context.RequestHeaders.Get("authorization")?.Value));
        return handler is null
            ? throw new RpcException(new Status(StatusCode.Unimplemented, $"{context.Method} is not scripted by this test"))
            : handler(request, context);
    }
}
