using OpsAgent.Protocol;

namespace OpsAgent.Collector.Enrollment;

/// <summary>An enrolment token as stored: everything but the secret, of which only a hash is kept.</summary>
internal sealed record EnrollmentTokenRecord(
    string TokenId,
    string Description,
    IReadOnlyDictionary<string, string> Labels,
    long CreatedUnixMs,
    string CreatedBy,
    long ExpiresUnixMs,
    long UsedUnixMs,
    string UsedByAgentId,
    string UsedFrom,
    long RevokedUnixMs)
{
    public bool IsUsable(long nowUnixMs) => UsedUnixMs == 0 && RevokedUnixMs == 0 && ExpiresUnixMs > nowUnixMs;

    public EnrollmentTokenInfo ToInfo()
    {
        var info = new EnrollmentTokenInfo
        {
            TokenId = TokenId,
            Description = Description,
            CreatedUnixMs = CreatedUnixMs,
            CreatedBy = CreatedBy,
            ExpiresUnixMs = ExpiresUnixMs,
            UsedUnixMs = UsedUnixMs,
            UsedByAgentId = UsedByAgentId,
            UsedFrom = UsedFrom,
            RevokedUnixMs = RevokedUnixMs,
        };
        foreach ((string key, string value) in Labels)
        {
            info.Labels[key] = value;
        }

        return info;
    }
}
