using OpsAgent.Cli.Output;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Agents;

/// <summary>One agent in JSON output (part of the stable JSON contract: add fields, never rename).</summary>
/// <remarks>Times are RFC 3339 UTC strings, null when the event never happened (never connected, never seen).</remarks>
internal sealed record AgentJson(
    string AgentId,
    string Hostname,
    string Version,
    SortedDictionary<string, string> Labels,
    bool Connected,
    string? ConnectedSince,
    string? LastSeen,
    string? FirstSeen,
    string RemoteAddress,
    ulong BatchesStored,
    ulong SamplesStored,
    ulong LastSequence,
    IReadOnlyList<string> Capabilities,
    HostFactsJson Host)
{
    public static AgentJson From(AgentInfo agent) => new(
        agent.AgentId,
        agent.Hostname,
        agent.AgentVersion,
        new SortedDictionary<string, string>(agent.Labels, StringComparer.Ordinal),
        agent.Connected,
        agent.Connected ? TimeFormatter.ToRfc3339(agent.ConnectedSinceUnixMs) : null,
        TimeFormatter.ToRfc3339(agent.LastSeenUnixMs),
        TimeFormatter.ToRfc3339(agent.FirstSeenUnixMs),
        agent.RemoteAddress,
        agent.BatchesStored,
        agent.SamplesStored,
        agent.LastSequence,
        [.. agent.Capabilities],
        HostFactsJson.From(agent.Host));
}
