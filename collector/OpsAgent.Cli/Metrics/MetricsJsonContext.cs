using System.Text.Json.Serialization;

namespace OpsAgent.Cli.Metrics;

/// <summary>Source-generated JSON for the metrics commands: camelCase, every field always present.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SeriesListJson))]
[JsonSerializable(typeof(QueryResultJson))]
internal sealed partial class MetricsJsonContext : JsonSerializerContext;
