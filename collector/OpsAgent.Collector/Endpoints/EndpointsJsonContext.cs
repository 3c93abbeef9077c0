using System.Text.Json.Serialization;

namespace OpsAgent.Collector.Endpoints;

[JsonSerializable(typeof(Dictionary<string, string?>))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class EndpointsJsonContext : JsonSerializerContext;
