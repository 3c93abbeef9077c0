using OpsAgent.Cli.Output;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Audit;

/// <summary>One audit entry in JSON output (stable: fields are added, never renamed).</summary>
internal sealed record AuditEventJson(
    long Id,
    string? Time,
    string ActorKind,
    string ActorId,
    string ActorName,
    string Role,
    string Method,
    string Outcome,
    string Detail,
    string Peer)
{
    public static AuditEventJson From(AuditEvent e) => new(
        e.Id, TimeFormatter.ToRfc3339(e.TimeUnixMs), e.ActorKind, e.ActorId, e.ActorName, e.Role, e.Method, e.Outcome, e.Detail, e.Peer);
}
