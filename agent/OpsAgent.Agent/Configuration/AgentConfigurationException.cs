namespace OpsAgent.Agent.Configuration;

/// <summary>The agent cannot start because of its configuration; the message says what to fix.</summary>
internal sealed class AgentConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
