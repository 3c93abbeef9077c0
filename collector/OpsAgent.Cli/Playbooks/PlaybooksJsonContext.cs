using System.Text.Json.Serialization;

namespace OpsAgent.Cli.Playbooks;

/// <summary>Source-generated JSON for `opsctl playbooks`: camelCase, every field always present.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PlaybookListJson))]
[JsonSerializable(typeof(PlaybookCheckJson))]
internal sealed partial class PlaybooksJsonContext : JsonSerializerContext;
