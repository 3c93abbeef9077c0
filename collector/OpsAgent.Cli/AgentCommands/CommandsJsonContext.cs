using System.Text.Json.Serialization;

namespace OpsAgent.Cli.AgentCommands;

/// <summary>Source-generated JSON for `opsctl commands` and `opsctl exec`: camelCase, every field always present.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CommandListJson))]
[JsonSerializable(typeof(CommandJson))]
internal sealed partial class CommandsJsonContext : JsonSerializerContext;
