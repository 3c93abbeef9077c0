namespace OpsAgent.Cli.AgentCommands;

/// <summary>`opsctl commands -o json`: newest first.</summary>
internal sealed record CommandListJson(IReadOnlyList<CommandJson> Commands, bool Truncated);
