using OpsAgent.Protocol;

namespace OpsAgent.Collector.Access;

/// <summary>One line of the audit log: who did what, through which method, from where, and how it ended.</summary>
/// <param name="ActorKind">"api_token", "agent", "enrollment_token", "anonymous" or "insecure".</param>
/// <param name="Outcome">"ok" or the gRPC status code name.</param>
internal sealed record AuditEntry(
    long TimeUnixMs,
    string ActorKind,
    string ActorId,
    string ActorName,
    string Role,
    string Method,
    string Outcome,
    string Detail,
    string Peer)
{
    public const string Ok = "ok";

    /// <summary>Cuts every field to a size the log can hold: most of them come from the network.</summary>
    public AuditEntry Bounded() => this with
    {
        ActorKind = Cut(ActorKind, 32),
        ActorId = Cut(ActorId, 128),
        ActorName = Cut(ActorName, 256),
        Role = Cut(Role, 32),
        Method = Cut(Method, 256),
        Outcome = Cut(Outcome, 64),
        Detail = Cut(Detail, 1024),
        Peer = Cut(Peer, 128),
    };

    public AuditEvent ToEvent(long id) => new()
    {
        Id = id,
        TimeUnixMs = TimeUnixMs,
        ActorKind = ActorKind,
        ActorId = ActorId,
        ActorName = ActorName,
        Role = Role,
        Method = Method,
        Outcome = Outcome,
        Detail = Detail,
        Peer = Peer,
    };

    private static string Cut(string value, int max)
    {
        string s = value.Length > max ? value[..max] : value;
        return s.Any(char.IsControl) ? new string([.. s.Select(c => char.IsControl(c) ? '?' : c)]) : s;
    }
}
