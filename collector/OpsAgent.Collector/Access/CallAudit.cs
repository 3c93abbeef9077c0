using Grpc.Core;

namespace OpsAgent.Collector.Access;

/// <summary>
/// What the audit entry of the current call will say. The access interceptor fills in the caller it authenticated and
/// the outcome; a service that learns more (the enrolment token used, the agent it became, a detail worth keeping)
/// adds it here. Kept in <see cref="ServerCallContext.UserState"/>.
/// </summary>
internal sealed class CallAudit
{
    private const string Key = "opsagent.audit";

    public string ActorKind { get; set; } = "anonymous";

    public string ActorId { get; set; } = "";

    public string ActorName { get; set; } = "";

    public string Role { get; set; } = "";

    public string Detail { get; set; } = "";

    /// <summary>The current call's audit record; a detached one (never written) outside an intercepted call, e.g. in unit tests.</summary>
    public static CallAudit Of(ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out object? value) && value is CallAudit audit ? audit : new CallAudit();

    public void AttachTo(ServerCallContext context) => context.UserState[Key] = this;
}
