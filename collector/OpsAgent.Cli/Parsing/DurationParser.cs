using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace OpsAgent.Cli.Parsing;

/// <summary>
/// Durations as admins type them: a number and a unit, optionally repeated (30s, 15m, 2h, 7d, 1h30m, 500ms, 1.5h).
/// Units: ms, s, m, h, d, w. No unit-less numbers: "15" is ambiguous and rejected.
/// </summary>
internal static class DurationParser
{
    public const string Examples = "30s, 15m, 2h, 7d";

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        double totalMs = 0;
        while (!span.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < span.Length && (char.IsAsciiDigit(span[numberLength]) || span[numberLength] == '.'))
            {
                numberLength++;
            }

            if (numberLength == 0
                || !double.TryParse(span[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            span = span[numberLength..];
            var unitLength = 0;
            while (unitLength < span.Length && char.IsAsciiLetter(span[unitLength]))
            {
                unitLength++;
            }

            if (!TryGetUnitMs(span[..unitLength], out var unitMs))
            {
                return false;
            }

            span = span[unitLength..];
            totalMs += number * unitMs;
        }

        if (totalMs > TimeSpan.MaxValue.TotalMilliseconds)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(Math.Round(totalMs));
        return true;
    }

    /// <summary>Parses a duration for an option, with an error that names the option and shows examples.</summary>
    public static bool TryParse(string optionName, string? text, out TimeSpan duration, [NotNullWhen(false)] out string? error)
    {
        if (TryParse(text, out duration))
        {
            error = null;
            return true;
        }

        error = $"{optionName} '{text}' is not a duration. Use a number and a unit: {Examples} (also ms, w, and 1h30m).";
        return false;
    }

    /// <summary>Formats a duration the way <see cref="TryParse(string?, out TimeSpan)"/> reads it: 15m, 1h30m, 2d.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        Append(builder, duration.Days, "d");
        Append(builder, duration.Hours, "h");
        Append(builder, duration.Minutes, "m");
        Append(builder, duration.Seconds, "s");
        Append(builder, duration.Milliseconds, "ms");
        return builder.ToString();

        static void Append(StringBuilder builder, int value, string unit)
        {
            if (value > 0)
            {
                builder.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }
    }

    private static bool TryGetUnitMs(ReadOnlySpan<char> unit, out double ms)
    {
        ms = unit switch
        {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            _ => 0,
        };
        return ms > 0;
    }
}
