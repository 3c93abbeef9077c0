using System.Text.Json.Serialization;

namespace OpsAgent.Collector.Playbooks.Persistence;

[JsonSerializable(typeof(StoredRun))]
[JsonSerializable(typeof(long[]))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class PlaybookJsonContext : JsonSerializerContext;
