using System.Text.Json.Serialization;

namespace OpsAgent.Cli.ApiTokens;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CreatedApiTokenJson))]
[JsonSerializable(typeof(ApiTokenListJson))]
[JsonSerializable(typeof(ApiTokenJson))]
[JsonSerializable(typeof(WhoAmIJson))]
internal sealed partial class ApiTokensJsonContext : JsonSerializerContext;
