using System.Text.Json.Serialization;

namespace OpsAgent.Cli.Incidents;

/// <summary>Source-generated JSON for the incidents commands: camelCase, every field always present.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IncidentListJson))]
[JsonSerializable(typeof(IncidentJson))]
internal sealed partial class IncidentsJsonContext : JsonSerializerContext;
