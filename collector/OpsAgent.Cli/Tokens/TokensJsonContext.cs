using System.Text.Json.Serialization;

namespace OpsAgent.Cli.Tokens;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CreatedEnrollmentTokenJson))]
[JsonSerializable(typeof(EnrollmentTokenListJson))]
[JsonSerializable(typeof(EnrollmentTokenJson))]
internal sealed partial class TokensJsonContext : JsonSerializerContext;
