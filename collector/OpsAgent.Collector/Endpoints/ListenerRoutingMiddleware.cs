namespace OpsAgent.Collector.Endpoints;

/// <summary>
/// Serves each API only on its own listener: the agent gateway on the gateway port, the admin API and reflection on
/// the admin port, /metrics and /healthz on the metrics port. Health checking is served on the two gRPC ports.
/// A call on the wrong port gets gRPC status UNIMPLEMENTED with a message saying where the API lives.
/// </summary>
internal sealed class ListenerRoutingMiddleware(RequestDelegate next, CollectorListeners listeners)
{
    public Task InvokeAsync(HttpContext context)
    {
        PathString path = context.Request.Path;
        ListenerKind arrivedOn = listeners.Identify(context.Connection.LocalPort);
        ListenerKind required = RequiredListener(path);
        if (required == ListenerKind.Unknown || required == arrivedOn)
        {
            return next(context);
        }

        string api = required switch
        {
            ListenerKind.Gateway => "the agent gateway",
            ListenerKind.Admin => "the admin API",
            _ => "this endpoint",
        };
        string message = $"{api} is not served on this port; use the collector's {required.ToString().ToLowerInvariant()} endpoint";
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "12";
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
            return Task.CompletedTask;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return context.Response.WriteAsync(message + "\n");
    }

    private static ListenerKind RequiredListener(PathString path)
    {
        if (path.StartsWithSegments("/opsagent.v1.AgentGateway"))
        {
            return ListenerKind.Gateway;
        }

        if (path.StartsWithSegments("/opsagent.v1.Admin") || path.StartsWithSegments("/opsagent.v1.Access") ||
            path.StartsWithSegments("/grpc.reflection.v1alpha.ServerReflection") ||
            path.StartsWithSegments("/grpc.reflection.v1.ServerReflection"))
        {
            return ListenerKind.Admin;
        }

        if (path.StartsWithSegments("/metrics") || path.StartsWithSegments("/healthz"))
        {
            return ListenerKind.Metrics;
        }

        return ListenerKind.Unknown;
    }
}
