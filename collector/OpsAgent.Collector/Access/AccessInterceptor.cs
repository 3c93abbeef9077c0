using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Configuration;
using OpsAgent.Collector.Enrollment;
using OpsAgent.Collector.RateLimiting;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Access;

/// <summary>
/// Authenticates and authorises every gRPC call before its service sees it, by the rule <see cref="MethodAccess"/>
/// gives its method (unlisted methods are refused), and writes the audit log: every admin-port call with its caller
/// and outcome, every enrolment and renewal, and every refused agent. A peer that keeps failing authentication is
/// refused for a while (<see cref="AccessOptions.FailedAuthenticationsPerMinute"/>); enrolment attempts are limited
/// per IP address (<see cref="EnrollmentOptions.AttemptsPerMinute"/>).
/// </summary>
internal sealed partial class AccessInterceptor : Interceptor
{
    /// <summary>Statuses that mean "this agent call was refused", worth an audit entry; others are ordinary endings.</summary>
    private static readonly HashSet<StatusCode> AgentRefusals =
    [
        StatusCode.Unauthenticated, StatusCode.PermissionDenied, StatusCode.InvalidArgument, StatusCode.FailedPrecondition,
        StatusCode.ResourceExhausted, StatusCode.DeadlineExceeded, StatusCode.AlreadyExists,
    ];

    private readonly ApiTokenStore _apiTokens;
    private readonly AgentAuthenticator _agents;
    private readonly AuditLog _audit;
    private readonly SecurityMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<AccessInterceptor> _logger;
    private readonly bool _insecure;
    private readonly KeyedRateLimiter _failures;
    private readonly KeyedRateLimiter _enrollments;
    private readonly TokenBucket _logBudget;

    public AccessInterceptor(
        ApiTokenStore apiTokens,
        AgentAuthenticator agents,
        AuditLog audit,
        SecurityMetrics metrics,
        IOptions<CollectorOptions> collector,
        IOptions<AccessOptions> access,
        IOptions<EnrollmentOptions> enrollment,
        TimeProvider time,
        ILogger<AccessInterceptor> logger)
    {
        _apiTokens = apiTokens;
        _agents = agents;
        _audit = audit;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _insecure = collector.Value.Insecure;
        int failures = access.Value.FailedAuthenticationsPerMinute;
        _failures = new KeyedRateLimiter(failures / 60.0, failures, time);
        int attempts = enrollment.Value.AttemptsPerMinute;
        _enrollments = new KeyedRateLimiter(attempts / 60.0, attempts, time);
        _logBudget = new TokenBucket(1, 60, time);
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Call call = await AuthorizeAsync(context).ConfigureAwait(false);
        return await RunAsync(call, context, () => continuation(request, context)).ConfigureAwait(false);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Call call = await AuthorizeAsync(context).ConfigureAwait(false);
        var validating = new ValidatingStreamReader<TRequest>(requestStream);
        return await RunAsync(call, context, () => continuation(validating, context)).ConfigureAwait(false);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Call call = await AuthorizeAsync(context).ConfigureAwait(false);
        await RunAsync(call, context, async () =>
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Call call = await AuthorizeAsync(context).ConfigureAwait(false);
        var validating = new ValidatingStreamReader<TRequest>(requestStream);
        await RunAsync(call, context, async () =>
        {
            await continuation(validating, responseStream, context).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    private async Task<T> RunAsync<T>(Call call, ServerCallContext context, Func<Task<T>> handler)
    {
        T result;
        try
        {
            result = await handler().ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            await FinishAsync(call, context, ex.StatusCode, ex.Status.Detail).ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException)
        {
            await FinishAsync(call, context, StatusCode.Cancelled, "the call was cancelled").ConfigureAwait(false);
            throw;
        }
        catch (Exception ex)
        {
            await FinishAsync(call, context, StatusCode.Unknown, ex.GetType().Name).ConfigureAwait(false);
            throw;
        }

        await FinishAsync(call, context, StatusCode.OK, "").ConfigureAwait(false);
        return result;
    }

    /// <summary>Writes the call's audit entry, if its kind of call is audited with this outcome.</summary>
    private async Task FinishAsync(Call call, ServerCallContext context, StatusCode code, string detail)
    {
        bool audited = call.Requirement switch
        {
            Requirement.Anonymous => false,
            Requirement.EnrollmentToken => true,
            Requirement.Agent => call.Method.EndsWith("/RenewCertificate", StringComparison.Ordinal) || AgentRefusals.Contains(code),
            _ => true,
        };
        if (!audited)
        {
            return;
        }

        CallAudit audit = CallAudit.Of(context);
        string text = code == StatusCode.OK ? audit.Detail : string.IsNullOrEmpty(audit.Detail) ? detail : audit.Detail + "; " + detail;
        AuditEntry entry = Entry(context, audit, code == StatusCode.OK ? AuditEntry.Ok : code.ToString(), text);
        if (call.Requirement >= Requirement.Viewer)
        {
            // An authenticated admin's call is never dropped: wait for room in the audit queue.
            await _audit.RecordAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            _audit.TryRecord(entry);
        }
    }

    private async Task<Call> AuthorizeAsync(ServerCallContext context)
    {
        string method = context.Method;
        var audit = new CallAudit();
        audit.AttachTo(context);
        Requirement? requirement = MethodAccess.Find(method);
        if (requirement is null)
        {
            throw Refuse(context, audit, "unknown", StatusCode.PermissionDenied,
                $"{Printable(method)} is not in the collector's access table, so it is refused (deny by default)");
        }

        string service = MethodAccess.ServiceOf(method);
        var call = new Call(method, requirement.Value);
        switch (requirement.Value)
        {
            case Requirement.Anonymous:
                return call;

            case Requirement.EnrollmentToken:
                if (!_enrollments.TryAcquire(RemoteIp(context), out TimeSpan wait))
                {
                    _metrics.Throttled("enroll");
                    throw Refuse(context, audit, service, StatusCode.ResourceExhausted,
                        $"too many enrolment attempts from {RemoteIp(context)}; try again in {Math.Ceiling(wait.TotalSeconds)} s (Collector:Enrollment:AttemptsPerMinute)");
                }

                return call;

            case Requirement.Agent:
                AuthenticateAgent(context, audit, service);
                return call;

            default:
                await AuthenticateAdminAsync(context, audit, service, requirement.Value).ConfigureAwait(false);
                return call;
        }
    }

    private void AuthenticateAgent(ServerCallContext context, CallAudit audit, string service)
    {
        audit.ActorKind = "agent";
        audit.Role = "agent";
        if (_insecure)
        {
            return; // the gateway takes the agent's word (Hello.agent_id) on loopback only
        }

        // Agents are not blocked per IP: many hosts may share one address (NAT), and one revoked or broken agent among
        // them must not lock the others out. A certificate cannot be guessed, and refusals are cheap and logged sparingly.
        var certificate = context.GetHttpContext().Connection.ClientCertificate;
        if (certificate is not null)
        {
            audit.ActorId = certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false);
        }

        AgentPrincipal? principal = _agents.Authenticate(certificate, out string problem);
        if (principal is null)
        {
            throw Refuse(context, audit, service, StatusCode.Unauthenticated, problem);
        }

        principal.AttachTo(context);
        audit.ActorId = principal.AgentId;
    }

    private async Task AuthenticateAdminAsync(ServerCallContext context, CallAudit audit, string service, Requirement requirement)
    {
        if (_insecure)
        {
            audit.ActorKind = "insecure";
            audit.Role = "admin";
            return;
        }

        RefuseIfBlocked(context, audit, service);
        string? header = context.RequestHeaders.GetValue("authorization");
        if (string.IsNullOrWhiteSpace(header))
        {
            _failures.For(RemoteIp(context)).Take(1);
            throw Refuse(context, audit, service, StatusCode.Unauthenticated,
                "this call needs an API token: pass --token, set OPSAGENT_TOKEN, or use an opsctl config file (on the collector's host: DATA_DIR/admin.json)");
        }

        string presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : header.Trim();
        ApiTokenRecord? token = _apiTokens.Authenticate(presented, out string? problem);
        if (token is null)
        {
            _failures.For(RemoteIp(context)).Take(1);
            throw Refuse(context, audit, service, StatusCode.Unauthenticated, problem!);
        }

        audit.ActorKind = "api_token";
        audit.ActorId = token.TokenId;
        audit.ActorName = token.Name;
        audit.Role = RoleName(token.Role);
        if ((int)token.Role < RequiredRole(requirement))
        {
            string needed = RoleName((Role)RequiredRole(requirement));
            _metrics.Refused(service, nameof(StatusCode.PermissionDenied));
            string detail = $"{context.Method} needs role {needed}; token {token.TokenId} ({token.Name}) has role {RoleName(token.Role)}";
            // The caller is authenticated: its refusal is audited like its other calls, without being dropped.
            await _audit.RecordAsync(Entry(context, audit, nameof(StatusCode.PermissionDenied), detail), CancellationToken.None).ConfigureAwait(false);
            LogRefused(_logger, context.Method, context.Peer, nameof(StatusCode.PermissionDenied), detail);
            throw new RpcException(new Status(StatusCode.PermissionDenied, detail));
        }
    }

    private void RefuseIfBlocked(ServerCallContext context, CallAudit audit, string service)
    {
        string ip = RemoteIp(context);
        if (_failures.IsExhausted(ip, out TimeSpan wait))
        {
            _metrics.Throttled("auth_failures");
            throw Refuse(context, audit, service, StatusCode.ResourceExhausted,
                $"too many failed authentications from {ip}; try again in {Math.Ceiling(wait.TotalSeconds)} s (Collector:Access:FailedAuthenticationsPerMinute)");
        }
    }

    /// <summary>Counts, audits (without waiting: the peer is not authenticated) and logs a refusal, and returns the exception to throw.</summary>
    private RpcException Refuse(ServerCallContext context, CallAudit audit, string service, StatusCode code, string detail)
    {
        _metrics.Refused(service, code.ToString());
        _audit.TryRecord(Entry(context, audit, code.ToString(), detail));
        if (_logBudget.TryTake(1, out _))
        {
            // Sampled: a peer that keeps failing must not flood the log; every refusal is counted and audited anyway.
            LogRefused(_logger, Printable(context.Method), context.Peer, code.ToString(), detail);
        }

        return new RpcException(new Status(code, detail));
    }

    private AuditEntry Entry(ServerCallContext context, CallAudit audit, string outcome, string detail) => new(
        _time.GetUtcNow().ToUnixTimeMilliseconds(), audit.ActorKind, audit.ActorId, audit.ActorName, audit.Role, context.Method, outcome, detail, context.Peer);

    private static int RequiredRole(Requirement requirement) => requirement switch
    {
        Requirement.Viewer => (int)Role.Viewer,
        Requirement.Operator => (int)Role.Operator,
        _ => (int)Role.Admin,
    };

    internal static string RoleName(Role role) => role switch
    {
        Role.Viewer => "viewer",
        Role.Operator => "operator",
        Role.Admin => "admin",
        _ => "none",
    };

    private static string RemoteIp(ServerCallContext context) =>
        context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? context.Peer;

    private static string Printable(string s) => s.Length > 200 ? s[..200] + "..." : s;

    private sealed record Call(string Method, Requirement Requirement);

    [LoggerMessage(EventId = 2501, Level = LogLevel.Warning, Message = "Refused {Method} from {Peer}: [{Code}] {Detail}.")]
    private static partial void LogRefused(ILogger logger, string method, string peer, string code, string detail);
}
