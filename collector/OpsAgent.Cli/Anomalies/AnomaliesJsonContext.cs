using System.Text.Json.Serialization;

namespace OpsAgent.Cli.Anomalies;

/// <summary>Source-generated JSON for the anomalies command: camelCase, every field always present.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AnomalyListJson))]
internal sealed partial class AnomaliesJsonContext : JsonSerializerContext;
