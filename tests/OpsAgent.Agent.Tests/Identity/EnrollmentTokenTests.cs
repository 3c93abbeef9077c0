using OpsAgent.Agent.Identity;

namespace OpsAgent.Agent.Tests.Identity;

public sealed class EnrollmentTokenTests
{
    private const string Valid = "oe_0123456789ab_0123456789abcdef0123456789abcdef_" + "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    [Fact]
    public void TryParse_AsPrinted_IdAndPin()
    {
        Assert.True(EnrollmentToken.TryParse("  " + Valid + "\n", out EnrollmentToken? token));
        Assert.Equal("0123456789ab", token.Id);
        Assert.Equal("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", token.Pin);
        Assert.Equal(Valid, token.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("oa_0123456789ab_0123456789abcdef0123456789abcdef")]
    [InlineData("oe_0123456789ab_0123456789abcdef0123456789abcdef")]
    [InlineData("oe_0123456789AB_0123456789abcdef0123456789abcdef_00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")]
    [InlineData("oe_0123456789ab_0123456789abcdef0123456789abcdef_00112233")]
    public void TryParse_NotAToken_False(string text)
    {
        Assert.False(EnrollmentToken.TryParse(text, out _));
    }
}
