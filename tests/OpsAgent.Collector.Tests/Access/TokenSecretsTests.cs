using OpsAgent.Collector.Access;

namespace OpsAgent.Collector.Tests.Access;

public sealed class TokenSecretsTests
{
    [Fact]
    public void FormatAndParse_ApiToken_RoundTrip()
    {
        string id = TokenSecrets.NewId();
        string secret = TokenSecrets.NewSecret();

        Assert.True(TokenSecrets.TryParseApiToken(TokenSecrets.FormatApiToken(id, secret), out string? parsedId, out string? parsedSecret));
        Assert.Equal(id, parsedId);
        Assert.Equal(secret, parsedSecret);
        Assert.Matches("^oa_[0-9a-f]{12}_[0-9a-f]{32}$", TokenSecrets.FormatApiToken(id, secret));
    }

    [Fact]
    public void FormatAndParse_EnrollmentToken_CarriesThePin()
    {
        string pin = new('a', 64);
        string token = TokenSecrets.FormatEnrollmentToken("0123456789ab", new string('1', 32), pin);

        Assert.True(TokenSecrets.TryParseEnrollmentToken(token, out string? id, out _, out string? parsedPin));
        Assert.Equal("0123456789ab", id);
        Assert.Equal(pin, parsedPin);
    }

    [Theory]
    [InlineData("")]
    [InlineData("oa_0123456789ab")]
    [InlineData("oa_0123456789AB_0123456789abcdef0123456789abcdef")]
    [InlineData("oa_0123456789ab_0123456789abcdef0123456789abcde")]
    [InlineData("oe_0123456789ab_0123456789abcdef0123456789abcdef")]
    [InlineData("oa_0123456789ab_0123456789abcdef0123456789abcdef_x")]
    public void TryParseApiToken_Malformed_False(string token)
    {
        Assert.False(TokenSecrets.TryParseApiToken(token, out _, out _));
    }

    [Fact]
    public void Matches_OnlyTheSecretWhoseHashIsStored()
    {
        string secret = TokenSecrets.NewSecret();
        byte[] stored = TokenSecrets.Hash(secret);

        Assert.True(TokenSecrets.Matches(secret, stored));
        Assert.False(TokenSecrets.Matches(TokenSecrets.NewSecret(), stored));
        Assert.DoesNotContain(secret, Convert.ToHexStringLower(stored), StringComparison.Ordinal);
    }
}
