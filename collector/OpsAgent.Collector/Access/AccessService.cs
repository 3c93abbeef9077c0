using Grpc.Core;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Configuration;
using OpsAgent.Collector.Enrollment;
using OpsAgent.Collector.Gateway;
using OpsAgent.Collector.Ingest;
using OpsAgent.Collector.Pki;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Access;

/// <summary>The Access admin service: API tokens, enrolment tokens, revoking agents, the audit log.</summary>
internal sealed partial class AccessService(
    ApiTokenStore apiTokens,
    EnrollmentTokenStore enrollmentTokens,
    AgentCertificateStore certificates,
    ConnectionRegistry connections,
    AuditLog audit,
    CollectorPki pki,
    IOptions<EnrollmentOptions> enrollment,
    IOptions<IngestOptions> ingest,
    IOptions<CollectorOptions> collector,
    TimeProvider time,
    ILogger<AccessService> logger) : Protocol.Access.AccessBase
{
    private const int MaxTokenLabels = 32;
    private const int MaxDescriptionLength = 256;
    private const int DefaultAuditLimit = 100;
    private const int MaxAuditLimit = 10_000;

    public override Task<WhoAmIResponse> WhoAmI(WhoAmIRequest request, ServerCallContext context)
    {
        CallAudit caller = CallAudit.Of(context);
        return Task.FromResult(new WhoAmIResponse
        {
            TokenId = caller.ActorId,
            Name = caller.ActorName,
            Role = caller.Role switch { "viewer" => Role.Viewer, "operator" => Role.Operator, _ => Role.Admin },
            Insecure = collector.Value.Insecure,
        });
    }

    public override Task<CreateApiTokenResponse> CreateApiToken(CreateApiTokenRequest request, ServerCallContext context)
    {
        if (ApiTokenStore.NameProblem(request.Name) is { } problem)
        {
            throw Invalid("name: " + problem);
        }

        if (request.Role is not (Role.Viewer or Role.Operator or Role.Admin))
        {
            throw Invalid("role must be viewer, operator or admin");
        }

        if (request.TtlSeconds < 0 || request.TtlSeconds > TimeSpan.FromDays(3650).TotalSeconds)
        {
            throw Invalid("ttl_seconds must be 0 (never expires) or at most ten years");
        }

        CallAudit caller = CallAudit.Of(context);
        (ApiTokenRecord record, string token) = apiTokens.Create(
            request.Name, request.Role, request.TtlSeconds == 0 ? null : TimeSpan.FromSeconds(request.TtlSeconds), CreatedBy(caller));
        caller.Detail = $"created API token {record.TokenId} ({record.Name}, {AccessInterceptor.RoleName(record.Role)})";
        LogTokenCreated(logger, record.TokenId, record.Name, AccessInterceptor.RoleName(record.Role), CreatedBy(caller));
        return Task.FromResult(new CreateApiTokenResponse { Token = record.ToInfo(), Secret = token });
    }

    public override Task<ListApiTokensResponse> ListApiTokens(ListApiTokensRequest request, ServerCallContext context)
    {
        var response = new ListApiTokensResponse();
        response.Tokens.Add(apiTokens.List(request.IncludeInactive).Select(t => t.ToInfo()));
        return Task.FromResult(response);
    }

    public override Task<ApiTokenInfo> RevokeApiToken(RevokeApiTokenRequest request, ServerCallContext context)
    {
        ApiTokenRecord record = apiTokens.Revoke(request.TokenId)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no API token has the id '{Printable(request.TokenId)}' (opsctl api-tokens list)"));
        CallAudit.Of(context).Detail = $"revoked API token {record.TokenId} ({record.Name})";
        return Task.FromResult(record.ToInfo());
    }

    public override Task<CreateEnrollmentTokenResponse> CreateEnrollmentToken(CreateEnrollmentTokenRequest request, ServerCallContext context)
    {
        TimeSpan max = enrollment.Value.MaxTokenLifetime;
        if (request.TtlSeconds <= 0 || request.TtlSeconds > max.TotalSeconds)
        {
            throw Invalid($"ttl_seconds must be between 1 and {(long)max.TotalSeconds} (Collector:Enrollment:MaxTokenLifetime); got {request.TtlSeconds}");
        }

        if (request.Labels.Count > MaxTokenLabels)
        {
            throw Invalid($"at most {MaxTokenLabels} labels; got {request.Labels.Count}");
        }

        foreach ((string key, string value) in request.Labels)
        {
            if (!BatchValidator.IsValidLabelName(key, ingest.Value.MaxLabelNameLength) || key is "host" or "agent_id")
            {
                throw Invalid($"label name '{Printable(key)}' is invalid or reserved: start with a letter or '_', then letters, digits, '_' or '.'; not host or agent_id");
            }

            if (value.Length > ingest.Value.MaxLabelValueLength)
            {
                throw Invalid($"label '{key}' has a value longer than {ingest.Value.MaxLabelValueLength} characters");
            }
        }

        if (request.Description.Length > MaxDescriptionLength || request.Description.Any(char.IsControl))
        {
            throw Invalid($"description is at most {MaxDescriptionLength} printable characters");
        }

        CallAudit caller = CallAudit.Of(context);
        (EnrollmentTokenRecord record, string token) = enrollmentTokens.Create(
            TimeSpan.FromSeconds(request.TtlSeconds), request.Labels, request.Description, CreatedBy(caller), pki.Authority.Pin);
        caller.Detail = $"created enrolment token {record.TokenId}, valid until {ApiTokenStore.Format(record.ExpiresUnixMs)}";
        return Task.FromResult(new CreateEnrollmentTokenResponse { Token = record.ToInfo(), Secret = token, CaFingerprint = pki.CaFingerprint });
    }

    public override Task<ListEnrollmentTokensResponse> ListEnrollmentTokens(ListEnrollmentTokensRequest request, ServerCallContext context)
    {
        var response = new ListEnrollmentTokensResponse();
        response.Tokens.Add(enrollmentTokens.List(request.IncludeInactive).Select(t => t.ToInfo()));
        return Task.FromResult(response);
    }

    public override Task<EnrollmentTokenInfo> RevokeEnrollmentToken(RevokeEnrollmentTokenRequest request, ServerCallContext context)
    {
        EnrollmentTokenRecord record = enrollmentTokens.Revoke(request.TokenId)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no enrolment token has the id '{Printable(request.TokenId)}' (opsctl tokens list --all)"));
        CallAudit.Of(context).Detail = $"revoked enrolment token {record.TokenId}";
        return Task.FromResult(record.ToInfo());
    }

    public override Task<RevokeAgentResponse> RevokeAgent(RevokeAgentRequest request, ServerCallContext context)
    {
        if (!HelloValidator.IsValidAgentId(request.AgentId))
        {
            throw Invalid("agent_id must be an agent id (1 to 64 characters from a-z, A-Z, 0-9, '-', '_' and '.'); see opsctl agents");
        }

        if (request.Reason.Length > MaxDescriptionLength || request.Reason.Any(char.IsControl))
        {
            throw Invalid($"reason is at most {MaxDescriptionLength} printable characters");
        }

        CallAudit caller = CallAudit.Of(context);
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        string reason = string.IsNullOrWhiteSpace(request.Reason) ? "revoked with opsctl agents revoke" : request.Reason;
        int revoked = certificates.RevokeAgent(request.AgentId, reason, CreatedBy(caller), now);
        bool disconnected = false;
        if (connections.Find(request.AgentId) is { } connection)
        {
            connection.Close(new Status(StatusCode.Unauthenticated, $"agent {request.AgentId} was revoked by {CreatedBy(caller)}: {reason}"));
            disconnected = true;
        }

        caller.Detail = $"revoked agent {request.AgentId}: {revoked} certificates, {(disconnected ? "stream closed" : "not connected")}; {reason}";
        LogAgentRevoked(logger, request.AgentId, revoked, disconnected, CreatedBy(caller), reason);
        return Task.FromResult(new RevokeAgentResponse
        {
            AgentId = request.AgentId,
            CertificatesRevoked = (uint)revoked,
            Disconnected = disconnected,
            RevokedUnixMs = now,
        });
    }

    public override Task<ListAuditEventsResponse> ListAuditEvents(ListAuditEventsRequest request, ServerCallContext context)
    {
        int limit = request.Limit == 0 ? DefaultAuditLimit : (int)Math.Min(request.Limit, MaxAuditLimit);
        (IReadOnlyList<AuditEvent> events, bool truncated) = audit.List(Math.Max(0, request.SinceUnixMs), limit);
        var response = new ListAuditEventsResponse { Truncated = truncated };
        response.Events.Add(events);
        return Task.FromResult(response);
    }

    private static string CreatedBy(CallAudit caller) => caller.ActorKind switch
    {
        "api_token" => $"token:{caller.ActorId} ({caller.ActorName})",
        "insecure" => "insecure-mode caller",
        _ => caller.ActorKind,
    };

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));

    private static string Printable(string s)
    {
        string cut = s.Length > 64 ? s[..64] + "..." : s;
        return new string([.. cut.Select(c => char.IsControl(c) ? '?' : c)]);
    }

    [LoggerMessage(EventId = 2311, Level = LogLevel.Information, Message = "API token {TokenId} ({Name}, role {Role}) created by {CreatedBy}.")]
    private static partial void LogTokenCreated(ILogger logger, string tokenId, string name, string role, string createdBy);

    [LoggerMessage(EventId = 2312, Level = LogLevel.Warning,
        Message = "Agent {AgentId} revoked by {RevokedBy}: {Certificates} certificates revoked, open stream closed: {Disconnected}. Reason: {Reason}")]
    private static partial void LogAgentRevoked(ILogger logger, string agentId, int certificates, bool disconnected, string revokedBy, string reason);
}
