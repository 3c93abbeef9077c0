using OpsAgent.Protocol;

namespace OpsAgent.Collector.Access;

/// <summary>An API token as stored: everything but the secret, of which only a hash is kept.</summary>
internal sealed record ApiTokenRecord(
    string TokenId,
    string Name,
    Role Role,
    long CreatedUnixMs,
    string CreatedBy,
    long ExpiresUnixMs,
    long LastUsedUnixMs,
    long RevokedUnixMs)
{
    public bool IsActive(long nowUnixMs) => RevokedUnixMs == 0 && (ExpiresUnixMs == 0 || ExpiresUnixMs > nowUnixMs);

    /// <summary>How the token appears in audit entries and "created by" fields.</summary>
    public string Display => $"token:{TokenId} ({Name})";

    public ApiTokenInfo ToInfo() => new()
    {
        TokenId = TokenId,
        Name = Name,
        Role = Role,
        CreatedUnixMs = CreatedUnixMs,
        CreatedBy = CreatedBy,
        ExpiresUnixMs = ExpiresUnixMs,
        LastUsedUnixMs = LastUsedUnixMs,
        RevokedUnixMs = RevokedUnixMs,
    };
}
