using System.Globalization;

namespace OpsAgent.Cli.Parsing;

/// <summary>Sizes as playbooks write them: bytes (1048576) or a number with KB MB GB TB (powers of 1000) or KiB MiB GiB TiB (1024).</summary>
internal static class SizeParser
{
    public const string Examples = "1048576, 500KB, 10MB, 1GiB";

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string trimmed = text.Trim();
        int digits = 0;
        while (digits < trimmed.Length && (char.IsAsciiDigit(trimmed[digits]) || trimmed[digits] == '.'))
        {
            digits++;
        }

        if (digits == 0 || !double.TryParse(trimmed.AsSpan(0, digits), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
        {
            return false;
        }

        double unit = trimmed[digits..].Trim().ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "KB" => 1e3,
            "MB" => 1e6,
            "GB" => 1e9,
            "TB" => 1e12,
            "KIB" => 1024d,
            "MIB" => 1024d * 1024,
            "GIB" => 1024d * 1024 * 1024,
            "TIB" => 1024d * 1024 * 1024 * 1024,
            _ => -1,
        };
        double value = number * unit;
        if (unit < 0 || value > long.MaxValue)
        {
            return false;
        }

        bytes = (long)Math.Round(value);
        return true;
    }
}
