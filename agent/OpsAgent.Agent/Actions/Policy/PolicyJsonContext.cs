using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpsAgent.Agent.Actions.Policy;

/// <summary>
/// Source-generated JSON reading of the policy file (no reflection: the agent may be published trimmed or AOT).
/// Comments and trailing commas are allowed and key names are case-insensitive; an unknown key, or a null where a value
/// is needed, is an error, so that a misspelt key is reported instead of silently allowing or refusing something.
/// </summary>
[JsonSourceGenerationOptions(
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    PropertyNameCaseInsensitive = true,
    RespectNullableAnnotations = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(ActionPolicy))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
