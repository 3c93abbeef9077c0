using System.Text.Json.Serialization;

namespace OpsAgent.Cli.Agents;

/// <summary>Source-generated JSON for the agents commands: camelCase, every field always present.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AgentListJson))]
[JsonSerializable(typeof(AgentJson))]
[JsonSerializable(typeof(AgentRevokedJson))]
internal sealed partial class AgentsJsonContext : JsonSerializerContext;
