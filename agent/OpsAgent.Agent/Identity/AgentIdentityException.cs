namespace OpsAgent.Agent.Identity;

/// <summary>
/// The agent cannot get or use its identity in a way retrying cannot fix (a used or foreign token, a collector whose
/// CA does not match the token's pin, damaged identity files): the agent stops with exit code 78 and this message.
/// </summary>
internal sealed class AgentIdentityException(string message, Exception? inner = null) : Exception(message, inner);
