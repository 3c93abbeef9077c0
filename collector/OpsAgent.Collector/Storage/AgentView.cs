namespace OpsAgent.Collector.Storage;

/// <summary>What label matching needs from the agent repository: hostname and static labels.</summary>
internal sealed record AgentView(string Hostname, IReadOnlyDictionary<string, string> Labels)
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    /// <summary>An agent the repository does not know (a batch before its Hello was recorded) is named by its id.</summary>
    public static AgentView From(string agentId, AgentRecord? record) =>
        record is null ? new AgentView(agentId, NoLabels) : new AgentView(record.Hostname, record.Labels);
}
