using System.Text.Json.Serialization;

namespace OpsAgent.Cli.Audit;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AuditListJson))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
