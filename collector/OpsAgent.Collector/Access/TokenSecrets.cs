using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace OpsAgent.Collector.Access;

/// <summary>
/// The two kinds of bearer secrets the collector hands out, and how they are checked:
/// <list type="bullet">
/// <item>API tokens, <c>oa_&lt;id&gt;_&lt;secret&gt;</c>, for opsctl and CI;</item>
/// <item>enrolment tokens, <c>oe_&lt;id&gt;_&lt;secret&gt;_&lt;ca pin&gt;</c>, single use, for new agents. The pin is the
/// SHA-256 of the CA's public key, so that the agent can check it is talking to the right collector before it sends
/// the token.</item>
/// </list>
/// The id (12 hex digits) names a token in lists, revocations and the audit log without revealing it. The secret is
/// 128 random bits: no rate of guessing finds one, so a fast hash (SHA-256) is the right way to store it; only the
/// hash is kept. The prefixes make leaked tokens easy to find with secret scanners.
/// </summary>
internal static class TokenSecrets
{
    public const string ApiPrefix = "oa";
    public const string EnrollmentPrefix = "oe";
    private const int IdBytes = 6;
    private const int SecretBytes = 16;
    private const int PinHexLength = 64;

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));

    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SecretBytes));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.ASCII.GetBytes(secret));

    public static bool Matches(string secret, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);

    public static string FormatApiToken(string id, string secret) => $"{ApiPrefix}_{id}_{secret}";

    public static string FormatEnrollmentToken(string id, string secret, string caPin) => $"{EnrollmentPrefix}_{id}_{secret}_{caPin}";

    public static bool TryParseApiToken(string? token, [NotNullWhen(true)] out string? id, [NotNullWhen(true)] out string? secret)
    {
        id = secret = null;
        string[] parts = (token ?? "").Trim().Split('_');
        if (parts.Length != 3 || parts[0] != ApiPrefix || !IsHex(parts[1], IdBytes * 2) || !IsHex(parts[2], SecretBytes * 2))
        {
            return false;
        }

        (id, secret) = (parts[1], parts[2]);
        return true;
    }

    public static bool TryParseEnrollmentToken(
        string? token, [NotNullWhen(true)] out string? id, [NotNullWhen(true)] out string? secret, [NotNullWhen(true)] out string? caPin)
    {
        id = secret = caPin = null;
        string[] parts = (token ?? "").Trim().Split('_');
        if (parts.Length != 4 || parts[0] != EnrollmentPrefix || !IsHex(parts[1], IdBytes * 2) || !IsHex(parts[2], SecretBytes * 2) ||
            !IsHex(parts[3], PinHexLength))
        {
            return false;
        }

        (id, secret, caPin) = (parts[1], parts[2], parts[3]);
        return true;
    }

    private static bool IsHex(string s, int length) => s.Length == length && s.All(char.IsAsciiHexDigitLower);
}
