using System.Diagnostics.CodeAnalysis;

namespace OpsAgent.Agent.Identity;

/// <summary>
/// An enrolment token as <c>opsctl tokens create</c> prints it: <c>oe_&lt;id&gt;_&lt;secret&gt;_&lt;pin&gt;</c>. The pin is the
/// SHA-256 (hex) of the collector CA's public key: the agent trusts a collector only if its CA matches it, and sends
/// the token only to a collector it trusts.
/// </summary>
internal sealed record EnrollmentToken(string Value, string Id, string Pin)
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out EnrollmentToken? token)
    {
        token = null;
        string value = (text ?? "").Trim();
        string[] parts = value.Split('_');
        if (parts.Length != 4 || parts[0] != "oe" || !IsHex(parts[1], 12) || !IsHex(parts[2], 32) || !IsHex(parts[3], 64))
        {
            return false;
        }

        token = new EnrollmentToken(value, parts[1], parts[3]);
        return true;
    }

    private static bool IsHex(string s, int length) => s.Length == length && s.All(char.IsAsciiHexDigitLower);
}
