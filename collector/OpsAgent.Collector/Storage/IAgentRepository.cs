using OpsAgent.Protocol;

namespace OpsAgent.Collector.Storage;

/// <summary>
/// What the collector remembers about every agent that ever connected, across restarts.
/// Who is connected right now is not stored here: see <c>Gateway/ConnectionRegistry</c>.
/// </summary>
internal interface IAgentRepository
{
    /// <summary>Creates or updates an agent from its Hello; keeps first-seen time.</summary>
    AgentRecord Upsert(string agentId, Hello hello, string remoteAddress, long nowUnixMs);

    /// <summary>Updates last-seen time and delivery counters; cheap, called for every stored batch.</summary>
    void RecordActivity(string agentId, long nowUnixMs, ulong sequence, long samples);

    /// <summary>Looks an agent up by id, or by hostname when no id matches.</summary>
    AgentRecord? Find(string agentIdOrHostname);

    IReadOnlyList<AgentRecord> List();
}

internal sealed record AgentRecord(
    string AgentId,
    string Hostname,
    string AgentVersion,
    IReadOnlyDictionary<string, string> Labels,
    HostFacts Host,
    IReadOnlyList<string> Capabilities,
    string RemoteAddress,
    long FirstSeenUnixMs,
    long LastSeenUnixMs,
    ulong BatchesStored,
    ulong SamplesStored,
    ulong LastSequence);
