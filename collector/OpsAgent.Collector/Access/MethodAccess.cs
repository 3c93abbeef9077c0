using System.Collections.Frozen;

namespace OpsAgent.Collector.Access;

/// <summary>
/// THE access table: every gRPC method the collector serves and what a caller must prove to call it. A method that is
/// not listed here is refused (PERMISSION_DENIED, audited): adding a method to a .proto never opens it by accident.
/// A new method gets one line here, with the lowest role that needs it:
/// <list type="bullet">
/// <item>viewer: reads that change nothing (lists, queries, statistics, watching);</item>
/// <item>operator: acts on the fleet within the rules admins set (commands, approvals, rollouts, revoking an agent);</item>
/// <item>admin: changes the rules or who may do what (tokens, playbooks, policy, registry), reads the audit log.</item>
/// </list>
/// MethodAccessTests checks that every method of every service the collector maps is listed.
/// </summary>
internal static class MethodAccess
{
    public static FrozenDictionary<string, Requirement> Table { get; } = new Dictionary<string, Requirement>(StringComparer.Ordinal)
    {
        // Agent gateway: agents prove who they are with the certificate they got at enrolment.
        ["/opsagent.v1.AgentGateway/Connect"] = Requirement.Agent,
        ["/opsagent.v1.AgentGateway/RenewCertificate"] = Requirement.Agent,
        ["/opsagent.v1.AgentGateway/FetchArtifact"] = Requirement.Agent,
        ["/opsagent.v1.AgentGateway/Enroll"] = Requirement.EnrollmentToken,
        ["/opsagent.v1.AgentGateway/GetCaCertificate"] = Requirement.Anonymous,

        // Admin: fleet, metrics, the collector itself.
        ["/opsagent.v1.Admin/ListAgents"] = Requirement.Viewer,
        ["/opsagent.v1.Admin/GetAgent"] = Requirement.Viewer,
        ["/opsagent.v1.Admin/ListSeries"] = Requirement.Viewer,
        ["/opsagent.v1.Admin/QueryMetrics"] = Requirement.Viewer,
        ["/opsagent.v1.Admin/GetStoreStats"] = Requirement.Viewer,
        ["/opsagent.v1.Admin/ListAnomalies"] = Requirement.Viewer,
        ["/opsagent.v1.Admin/ListIncidents"] = Requirement.Viewer,
        ["/opsagent.v1.Admin/GetIncident"] = Requirement.Viewer,
        ["/opsagent.v1.Admin/WatchEvents"] = Requirement.Viewer,

        // Admin: commands and playbooks. Reading and checking change nothing; commands act on the fleet within each
        // agent's local policy; playbooks are rules that make the collector act by itself.
        ["/opsagent.v1.Admin/ListCommands"] = Requirement.Viewer,
        ["/opsagent.v1.Admin/GetCommand"] = Requirement.Viewer,
        ["/opsagent.v1.Admin/ListPlaybooks"] = Requirement.Viewer,
        ["/opsagent.v1.Admin/ValidatePlaybook"] = Requirement.Viewer,
        ["/opsagent.v1.Admin/ExecCommand"] = Requirement.Operator,
        ["/opsagent.v1.Admin/ApproveCommand"] = Requirement.Operator,
        ["/opsagent.v1.Admin/DenyCommand"] = Requirement.Operator,
        ["/opsagent.v1.Admin/ApplyPlaybook"] = Requirement.Admin,
        ["/opsagent.v1.Admin/DeletePlaybook"] = Requirement.Admin,

        // Access: tokens, revocation, audit.
        ["/opsagent.v1.Access/WhoAmI"] = Requirement.Viewer,
        ["/opsagent.v1.Access/RevokeAgent"] = Requirement.Operator,
        ["/opsagent.v1.Access/CreateApiToken"] = Requirement.Admin,
        ["/opsagent.v1.Access/ListApiTokens"] = Requirement.Admin,
        ["/opsagent.v1.Access/RevokeApiToken"] = Requirement.Admin,
        ["/opsagent.v1.Access/CreateEnrollmentToken"] = Requirement.Admin,
        ["/opsagent.v1.Access/ListEnrollmentTokens"] = Requirement.Admin,
        ["/opsagent.v1.Access/RevokeEnrollmentToken"] = Requirement.Admin,
        ["/opsagent.v1.Access/ListAuditEvents"] = Requirement.Admin,

        // Reflection describes the whole API (grpcurl, Postman): only to callers who may read it.
        ["/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"] = Requirement.Viewer,
        ["/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"] = Requirement.Viewer,

        // Health says only SERVING or not; load balancers and orchestrators probe it without credentials.
        ["/grpc.health.v1.Health/Check"] = Requirement.Anonymous,
        ["/grpc.health.v1.Health/Watch"] = Requirement.Anonymous,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The requirement of a method, or null when it is not listed (and therefore refused).</summary>
    public static Requirement? Find(string method) => Table.TryGetValue(method, out Requirement requirement) ? requirement : null;

    /// <summary>The service part of "/package.Service/Method", for metrics labels (only for listed methods).</summary>
    public static string ServiceOf(string method)
    {
        int slash = method.IndexOf('/', 1);
        return slash > 1 ? method[1..slash] : method;
    }
}
