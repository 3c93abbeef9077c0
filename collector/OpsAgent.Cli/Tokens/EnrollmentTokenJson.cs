using OpsAgent.Cli.Output;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Tokens;

/// <summary>One enrolment token in JSON output (stable: fields are added, never renamed).</summary>
/// <param name="State">"active", "used", "expired" or "revoked".</param>
internal sealed record EnrollmentTokenJson(
    string TokenId,
    string State,
    string Description,
    SortedDictionary<string, string> Labels,
    string? Created,
    string CreatedBy,
    string? Expires,
    string? Used,
    string UsedByAgentId,
    string UsedFrom,
    string? Revoked)
{
    public static EnrollmentTokenJson From(EnrollmentTokenInfo token, DateTimeOffset now) => new(
        token.TokenId,
        StateOf(token, now),
        token.Description,
        new SortedDictionary<string, string>(token.Labels, StringComparer.Ordinal),
        TimeFormatter.ToRfc3339(token.CreatedUnixMs),
        token.CreatedBy,
        TimeFormatter.ToRfc3339(token.ExpiresUnixMs),
        TimeFormatter.ToRfc3339(token.UsedUnixMs),
        token.UsedByAgentId,
        token.UsedFrom,
        TimeFormatter.ToRfc3339(token.RevokedUnixMs));

    public static string StateOf(EnrollmentTokenInfo token, DateTimeOffset now) =>
        token.RevokedUnixMs > 0 ? "revoked"
        : token.UsedUnixMs > 0 ? "used"
        : token.ExpiresUnixMs <= now.ToUnixTimeMilliseconds() ? "expired"
        : "active";
}
