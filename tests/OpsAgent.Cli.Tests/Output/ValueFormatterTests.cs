extern alias Cli;

using Cli::OpsAgent.Cli.Output;

namespace OpsAgent.Cli.Tests.Output;

public sealed class ValueFormatterTests
{
    [Theory]
    [InlineData(0.234, "1", "23.4%")]
    [InlineData(1.0, "1", "100%")]
    [InlineData(17179869184.0, "By", "16 GiB")]
    [InlineData(1536.0, "By", "1.5 KiB")]
    [InlineData(512.0, "By", "512 B")]
    [InlineData(2048.0, "By/s", "2 KiB/s")]
    [InlineData(0.0123, "s", "12.3ms")]
    [InlineData(2.5, "s", "2.5s")]
    [InlineData(45.0, "Cel", "45°C")]
    [InlineData(12.3456, "{process}", "12.35")]
    [InlineData(123.46, "", "123.5")]
    [InlineData(12345.6, "", "12346")]
    [InlineData(1234567.0, "", "1.23e+6")]
    [InlineData(0.0001, "", "1e-4")]
    [InlineData(0.0, "", "0")]
    [InlineData(-3.5, "", "-3.5")]
    public void Format_ByUnit_IsReadable(double value, string unit, string expected) =>
        Assert.Equal(expected, ValueFormatter.Format(value, unit));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Format_NotFinite_IsADash(double value) =>
        Assert.Equal("-", ValueFormatter.Format(value, "1"));
}
