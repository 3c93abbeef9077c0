using System.Globalization;

namespace OpsAgent.Cli.Output;

/// <summary>
/// Sample values for people, by UCUM unit as the agent reports it: ratios ("1") as percent, bytes in binary
/// units, seconds as ms/s, Celsius with a degree sign; anything else as a plain number. JSON keeps raw values.
/// </summary>
internal static class ValueFormatter
{
    public const string Missing = "-";

    private static readonly string[] ByteUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

    public static string Format(double value, string? unit)
    {
        if (!double.IsFinite(value))
        {
            return Missing;
        }

        return unit switch
        {
            "1" => Number(value * 100) + "%",
            "By" => Bytes(value),
            "By/s" => Bytes(value) + "/s",
            "s" when Math.Abs(value) < 1 && value != 0 => Number(value * 1000) + "ms",
            "s" => Number(value) + "s",
            "ms" => Number(value) + "ms",
            "Cel" => Number(value) + "°C",
            _ => Number(value),
        };
    }

    /// <summary>Up to three decimals, no exponent below a million; compact exponent form beyond.</summary>
    public static string Number(double value)
    {
        var magnitude = Math.Abs(value);
        if (magnitude >= 1e6 || (magnitude < 1e-3 && magnitude != 0))
        {
            return value.ToString("0.##e+0", CultureInfo.InvariantCulture);
        }

        // Fewer decimals as numbers grow keeps columns readable: 0.123, 12.35, 123.5, 12346.
        var format = magnitude switch
        {
            < 10 => "0.###",
            < 100 => "0.##",
            < 1000 => "0.#",
            _ => "0",
        };
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    private static string Bytes(double value)
    {
        var magnitude = Math.Abs(value);
        var unit = 0;
        while (magnitude >= 1024 && unit < ByteUnits.Length - 1)
        {
            magnitude /= 1024;
            unit++;
        }

        var scaled = Math.CopySign(magnitude, value);
        var text = unit == 0
            ? scaled.ToString("0", CultureInfo.InvariantCulture)
            : scaled.ToString("0.#", CultureInfo.InvariantCulture);
        return text + " " + ByteUnits[unit];
    }
}
