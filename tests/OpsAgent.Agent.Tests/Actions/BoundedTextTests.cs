using System.Text;
using OpsAgent.Agent.Actions;

namespace OpsAgent.Agent.Tests.Actions;

public sealed class BoundedTextTests
{
    [Theory]
    [InlineData("abc", 10, "abc")]
    [InlineData("abcdef", 3, "abc")]
    [InlineData("aé", 2, "a")]
    [InlineData("a😀b", 4, "a")]
    [InlineData("a😀b", 5, "a😀")]
    public void Truncate_CutsAtCharacterBoundary(string text, int maxBytes, string expected) =>
        Assert.Equal(expected, BoundedText.Truncate(text, maxBytes));

    [Theory]
    [InlineData("aé", 2, "a")]
    [InlineData("a€", 3, "a")]
    [InlineData("a€", 4, "a€")]
    [InlineData("😀😀", 6, "😀")]
    public void Decode_CutInsideCharacter_DropsThePartialCharacter(string text, int maxBytes, string expected) =>
        Assert.Equal(expected, BoundedText.Decode(Encoding.UTF8.GetBytes(text), maxBytes));
}
