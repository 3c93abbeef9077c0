using OpsAgent.Cli.Output;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.ApiTokens;

/// <summary>One API token in JSON output (stable: fields are added, never renamed). Never the secret.</summary>
/// <param name="State">"active", "expired" or "revoked".</param>
internal sealed record ApiTokenJson(
    string TokenId,
    string Name,
    string Role,
    string State,
    string? Created,
    string CreatedBy,
    string? Expires,
    string? LastUsed,
    string? Revoked)
{
    public static ApiTokenJson From(ApiTokenInfo token, DateTimeOffset now) => new(
        token.TokenId,
        token.Name,
        RoleName(token.Role),
        StateOf(token, now),
        TimeFormatter.ToRfc3339(token.CreatedUnixMs),
        token.CreatedBy,
        TimeFormatter.ToRfc3339(token.ExpiresUnixMs),
        TimeFormatter.ToRfc3339(token.LastUsedUnixMs),
        TimeFormatter.ToRfc3339(token.RevokedUnixMs));

    public static string StateOf(ApiTokenInfo token, DateTimeOffset now) =>
        token.RevokedUnixMs > 0 ? "revoked"
        : token.ExpiresUnixMs > 0 && token.ExpiresUnixMs <= now.ToUnixTimeMilliseconds() ? "expired"
        : "active";

    public static string RoleName(Protocol.Role role) => role switch
    {
        Protocol.Role.Viewer => "viewer",
        Protocol.Role.Operator => "operator",
        Protocol.Role.Admin => "admin",
        _ => "none",
    };
}
