using System.Text.Json.Serialization;

namespace OpsAgent.Cli.Watch;

/// <summary>Source-generated JSON for `opsctl watch`: camelCase, every field always present.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(WatchEventJson))]
internal sealed partial class WatchJsonContext : JsonSerializerContext;
