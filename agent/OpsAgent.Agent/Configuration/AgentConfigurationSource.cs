namespace OpsAgent.Agent.Configuration;

/// <summary>Which configuration file the agent read, for messages that tell the admin where to fix a setting.</summary>
internal sealed record AgentConfigurationSource(string ConfigFile);
