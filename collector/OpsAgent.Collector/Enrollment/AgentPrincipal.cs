using Grpc.Core;

namespace OpsAgent.Collector.Enrollment;

/// <summary>
/// The agent a call comes from, as its client certificate proves it. Set by the access interceptor on agent calls when
/// the collector runs securely; the gateway takes the agent's identity from here only, never from what it says.
/// </summary>
internal sealed record AgentPrincipal(string AgentId, string Serial, long CertificateExpiresUnixMs)
{
    private const string Key = "opsagent.agent";

    public static AgentPrincipal? Of(ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out object? value) ? value as AgentPrincipal : null;

    public void AttachTo(ServerCallContext context) => context.UserState[Key] = this;
}
