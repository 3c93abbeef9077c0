namespace OpsAgent.Cli.Agents;

/// <summary>The JSON document of `opsctl agents`: an object, so that fields can be added next to the list later.</summary>
internal sealed record AgentListJson(IReadOnlyList<AgentJson> Agents);
