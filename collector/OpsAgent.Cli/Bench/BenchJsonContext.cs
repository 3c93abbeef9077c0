using System.Text.Json.Serialization;

namespace OpsAgent.Cli.Bench;

/// <summary>Source-generated JSON for the bench commands: camelCase, every field always present.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IngestReport))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
